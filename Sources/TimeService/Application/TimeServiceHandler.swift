import HTTPServer

/// Answers requests on one event loop: `/` (time and client address), `/healthz`, `/readyz`,
/// `/metrics`. It keeps per-loop caches and buffers, so answering allocates nothing.
final class TimeServiceHandler: HTTPHandler {
    let lifecycle: ServerLifecycle
    let resolver: ClientAddressResolver
    let logSink: LogSink
    let logWriter: LogLineWriter
    let accessLog: Bool
    let metrics: MetricsRegistry
    let requestMetrics: RequestMetrics
    /// The handler's mutable state. Only its loop's thread touches it; keeping it in one
    /// allocation behind a pointer spares every request the run-time exclusivity checks that a
    /// class's stored `var`s get.
    let scratch: UnsafeMutablePointer<Scratch>

    struct Scratch: ~Copyable {
        var timestamps = TimestampCache()
        var requestIDs: RequestIDGenerator
        /// Log lines of this loop iteration, handed to the sink in one piece when it ends.
        var logBuffer = ByteBuffer(capacity: 16 * 1024)
        var logLines = 0
    }

    static let allowedMethods: StaticString = "GET, HEAD"

    init(
        loop: EventLoopContext, resolver: ClientAddressResolver, logSink: LogSink, metrics: MetricsRegistry,
        requestMetrics: RequestMetrics, processNonce: UInt32
    ) {
        self.lifecycle = loop.lifecycle
        self.resolver = resolver
        self.logSink = logSink
        self.logWriter = LogLineWriter(format: logSink.format)
        self.accessLog = logSink.accessLogEnabled && logSink.isEnabled(.info)
        self.metrics = metrics
        self.requestMetrics = requestMetrics
        self.scratch = .allocate(capacity: 1)
        scratch.initialize(to: Scratch(requestIDs: RequestIDGenerator(loopIndex: loop.loopIndex, processNonce: processNonce)))
    }

    deinit {
        scratch.deinitialize(count: 1)
        scratch.deallocate()
    }

    func handle(_ request: HTTPRequest, response: inout HTTPResponse) {
        let route = Route(path: request.path)
        // The forwarded-for walk only matters where the address is shown: the body of `/` and
        // the access log.
        let client = route == .root || accessLog ? resolver.clientAddress(of: request) : request.peer

        let requestID: UnsafeRawBufferPointer
        if let incoming = request.firstValue(of: "x-request-id"), RequestIDGenerator.isSafe(incoming) {
            requestID = incoming
        } else {
            requestID = scratch.pointee.requestIDs.next()
        }
        response.addHeader("X-Request-Id", requestID)

        switch (request.method, route) {
        case (.unknown, _):
            response.setError(.notImplemented)
        case (_, .unmatched):
            response.setError(.notFound)
        case (.get, _), (.head, _):
            answer(route, request: request, client: client, response: &response)
        default:
            response.setError(.methodNotAllowed)
            response.addHeader("Allow", UnsafeRawBufferPointer(start: Self.allowedMethods.utf8Start, count: Self.allowedMethods.utf8CodeUnitCount))
        }

        let duration = MonotonicTime.nowNanoseconds() - request.receivedAtNanoseconds
        requestMetrics.record(route: route, status: response.status, durationNanoseconds: duration)
        if accessLog {
            logRequest(request, status: response.status, bytes: request.method == .head ? 0 : response.body.count,
                       duration: duration, client: client, requestID: requestID)
        }
    }

    private func answer(_ route: Route, request: HTTPRequest, client: IPAddress, response: inout HTTPResponse) {
        switch route {
        case .root:
            response.body.append(#"{"timestamp":""#)
            response.body.append(scratch.pointee.timestamps.text(for: request.receivedAt))
            response.body.append(#"","ip":""#)
            response.body.append(address: client)
            response.body.append(#""}"#)
        case .healthz:
            response.body.append(#"{"status":"ok"}"#)
        case .readyz:
            if lifecycle.isDraining {
                response.status = .serviceUnavailable
                response.body.append(#"{"status":"draining"}"#)
            } else {
                response.body.append(#"{"status":"ready"}"#)
            }
        case .metrics:
            response.contentType = MetricsRegistry.contentType
            metrics.render(into: &response.body)
        case .unmatched:
            response.setError(.notFound)
        }
    }

    private func logRequest(
        _ request: HTTPRequest, status: HTTPStatus, bytes: Int, duration: Int64, client: IPAddress,
        requestID: UnsafeRawBufferPointer
    ) {
        logWriter.begin(&scratch.pointee.logBuffer, time: request.receivedAt, level: .info, event: "request")
        logWriter.field(&scratch.pointee.logBuffer, "method", bytes: request.methodToken, limit: 32)
        logWriter.field(&scratch.pointee.logBuffer, "path", bytes: request.path, limit: 512)
        logWriter.field(&scratch.pointee.logBuffer, "status", integer: status.code)
        logWriter.field(&scratch.pointee.logBuffer, "bytes", integer: bytes)
        logWriter.field(&scratch.pointee.logBuffer, "duration_us", integer: Int(duration / 1000))
        logWriter.field(&scratch.pointee.logBuffer, "client_ip", address: client)
        logWriter.field(&scratch.pointee.logBuffer, "peer_ip", address: request.peer)
        logWriter.field(&scratch.pointee.logBuffer, "user_agent", bytes: request.firstValue(of: "user-agent") ?? UnsafeRawBufferPointer(start: nil, count: 0), limit: 256)
        logWriter.field(&scratch.pointee.logBuffer, "request_id", bytes: requestID, limit: 128)
        logWriter.end(&scratch.pointee.logBuffer)
        scratch.pointee.logLines += 1
        if scratch.pointee.logBuffer.count > 64 * 1024 { loopIterationDidEnd() }
    }

    func requestRejected(_ error: HTTPParseError, peer: IPAddress, at time: WallClockTime) {
        guard accessLog else { return }
        logWriter.begin(&scratch.pointee.logBuffer, time: time, level: .info, event: "request_rejected")
        logWriter.field(&scratch.pointee.logBuffer, "status", integer: error.status.code)
        logWriter.field(&scratch.pointee.logBuffer, "reason", literal: error.kind)
        logWriter.field(&scratch.pointee.logBuffer, "peer_ip", address: peer)
        logWriter.end(&scratch.pointee.logBuffer)
        scratch.pointee.logLines += 1
    }

    func loopIterationDidEnd() {
        guard scratch.pointee.logLines > 0 else { return }
        logSink.submit(scratch.pointee.logBuffer.readableBytes, lines: scratch.pointee.logLines)
        scratch.pointee.logBuffer.removeAll()
        scratch.pointee.logLines = 0
    }

    func serverEvent(_ event: ServerEvent) {
        ServerEventLog.write(event, to: logSink)
    }
}
