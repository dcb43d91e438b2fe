/// The timeouts of a connection, in milliseconds.
public struct HTTPConnectionTimeouts: Sendable, Hashable {
    /// How long a kept-alive connection may wait for its next request. Above the ALB's idle
    /// timeout (60 s by default), so the balancer, not the service, closes idle connections and
    /// never sends a request on one the service is closing.
    public var idleMilliseconds: Int64
    /// How long a request's head and content may take to arrive, from its first byte. The bound
    /// that defeats slowloris clients, which keep connections open by trickling bytes.
    public var requestMilliseconds: Int64
    /// While draining, how long an idle connection may still deliver a request that was already
    /// in flight when the drain began.
    public var drainIdleMilliseconds: Int64
    /// After an error response, how long to keep reading (and discarding) before closing, so the
    /// client reads the response instead of a TCP reset caused by its unread bytes.
    public var lingerMilliseconds: Int64

    public init(
        idleMilliseconds: Int64 = 75_000,
        requestMilliseconds: Int64 = 10_000,
        drainIdleMilliseconds: Int64 = 500,
        lingerMilliseconds: Int64 = 2_000
    ) {
        self.idleMilliseconds = idleMilliseconds
        self.requestMilliseconds = requestMilliseconds
        self.drainIdleMilliseconds = drainIdleMilliseconds
        self.lingerMilliseconds = lingerMilliseconds
    }
}
