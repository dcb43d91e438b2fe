/// The application, as the server calls it. One handler is made per event loop and is only ever
/// called on that loop's thread, so it may keep per-loop state (caches, counters, log buffers)
/// without locks. It must not block.
public protocol HTTPHandler: AnyObject {
    /// Answers one request by filling in `response`.
    func handle(_ request: HTTPRequest, response: inout HTTPResponse)

    /// The protocol layer answered `error.status` and is closing the connection; the request never
    /// reached `handle`. For logs and metrics.
    func requestRejected(_ error: HTTPParseError, peer: IPAddress, at time: WallClockTime)

    /// The event loop finished a round of work: a place to flush per-loop buffers.
    func loopIterationDidEnd()

    /// Something the operator should know about happened on this loop.
    func serverEvent(_ event: ServerEvent)
}
