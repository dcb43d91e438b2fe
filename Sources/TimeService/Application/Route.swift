/// The paths the service answers. Matching is exact and case-sensitive: `/healthz/` is not
/// `/healthz`, so each resource has one URL.
public enum Route: Int, CaseIterable, Sendable {
    case root
    case healthz
    case readyz
    case metrics
    /// Anything else: 404.
    case unmatched

    /// The route of a path (without its query). An empty path, from an absolute-form target such
    /// as `http://host`, is the root.
    public init(path: UnsafeRawBufferPointer) {
        switch path.count {
        case 0: self = .root
        case 1 where path[0] == UInt8(ascii: "/"): self = .root
        case 7 where path.matches("/readyz"): self = .readyz
        case 8 where path.matches("/healthz"): self = .healthz
        case 8 where path.matches("/metrics"): self = .metrics
        default: self = .unmatched
        }
    }

    /// The `route` label of the request metrics: the route's path, never the request's own path,
    /// so that scanners cannot blow up the number of series.
    public var label: StaticString {
        switch self {
        case .root: "/"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .unmatched: "unmatched"
        }
    }
}
