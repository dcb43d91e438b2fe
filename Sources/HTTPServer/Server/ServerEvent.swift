/// What the server reports to the application's log, from the controlling thread or a loop.
public enum ServerEvent: Sendable {
    /// The server accepts connections. `address` is where it listens (it may differ from the
    /// configured host after the IPv6-to-IPv4 fallback).
    case listening(address: IPAddress, port: UInt16, loopCount: Int)
    /// `::` could not be used (no IPv6 on this host); listening on 0.0.0.0 instead.
    case ipv6Unavailable(SystemError)
    case signalReceived(Int32)
    /// A loop stopped accepting for a moment: out of file descriptors or at `maxConnections`.
    case acceptPaused(loop: Int, reason: String)
    case loopFailed(loop: Int, error: SystemError)
}

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
