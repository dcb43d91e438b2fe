import HTTPServer

/// What the command line asks for.
public enum Invocation: Sendable, Equatable {
    case serve(ServiceConfiguration)
    case printConfiguration(ServiceConfiguration)
    case healthCheck(HealthCheckOptions)
    case help
    case version
}
