import HTTPServer

/// One setting: where it comes from, what it means, and how its text becomes a value.
struct Setting: Sendable {
    let environmentName: String
    let flag: String
    let placeholder: String
    let summary: String
    /// Applies the text of a value; throws the expectation it failed (e.g. "expected an integer").
    let apply: @Sendable (inout ServiceConfiguration, String) throws(ConfigurationError) -> Void
    /// The value as `--help` and `--print-config` show it.
    let show: @Sendable (ServiceConfiguration) -> String
}
