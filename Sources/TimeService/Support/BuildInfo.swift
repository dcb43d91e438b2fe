import CSystemShims

/// The version and git revision baked in at build time (see `Package.swift` and the Dockerfile).
public enum BuildInfo {
    public static let version = String(cString: sts_build_version())
    public static let revision = String(cString: sts_build_revision())
}
