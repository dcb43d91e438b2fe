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
