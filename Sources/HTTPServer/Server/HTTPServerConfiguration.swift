/// Settings of the HTTP server layer. The application's configuration maps onto this.
public struct HTTPServerConfiguration: Sendable {
    /// The address to listen on. `::` means every interface, IPv6 and IPv4 (dual-stack), and
    /// falls back to `0.0.0.0` on hosts without IPv6.
    public var host: IPAddress
    /// The port; 0 picks a free one (the chosen port is reported in the `.listening` event).
    public var port: UInt16
    /// Event loops, each a thread with its own epoll instance and listening socket.
    public var loopCount: Int
    public var backlog: Int32
    /// Open connections at most, across all loops. At the cap the loops stop accepting; new
    /// connections wait in the kernel's backlog until others close.
    public var maxConnections: Int
    public var limits: HTTPParserLimits
    public var timeouts: HTTPConnectionTimeouts
    /// How long a stop signal waits for open connections to finish before the process exits.
    public var shutdownTimeoutMilliseconds: Int64
    /// Header lines added to every response, including the server's own error responses: each
    /// `Name: value\r\n`.
    public var defaultHeaderLines: String

    public init(
        host: IPAddress = .ipv6Any,
        port: UInt16 = 8080,
        loopCount: Int = 1,
        backlog: Int32 = 4096,
        maxConnections: Int = 10_000,
        limits: HTTPParserLimits = HTTPParserLimits(),
        timeouts: HTTPConnectionTimeouts = HTTPConnectionTimeouts(),
        shutdownTimeoutMilliseconds: Int64 = 10_000,
        defaultHeaderLines: String = ""
    ) {
        self.host = host
        self.port = port
        self.loopCount = loopCount
        self.backlog = backlog
        self.maxConnections = maxConnections
        self.limits = limits
        self.timeouts = timeouts
        self.shutdownTimeoutMilliseconds = shutdownTimeoutMilliseconds
        self.defaultHeaderLines = defaultHeaderLines
    }
}
