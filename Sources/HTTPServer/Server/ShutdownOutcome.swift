/// How a run of the server ended.
public enum ShutdownOutcome: Sendable, Equatable {
    /// Every connection finished within the shutdown timeout.
    case drained(milliseconds: Int64)
    /// The shutdown timeout passed with connections still open.
    case timedOut(openConnections: Int)
    /// A second stop signal arrived while draining.
    case forced(signal: Int32)
    /// An event loop failed; the server cannot serve.
    case failed(SystemError)
}
