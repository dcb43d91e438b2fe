import HTTPServer

/// Every metric the service exposes, gathered for `GET /metrics`.
public final class MetricsRegistry: Sendable {
    public let requestShards: [RequestMetrics]
    public let server: ServerMetrics
    public let lifecycle: ServerLifecycle
    public let logSink: LogSink
    public let startTime: WallClockTime

    public init(
        loopCount: Int, server: ServerMetrics, lifecycle: ServerLifecycle, logSink: LogSink, startTime: WallClockTime
    ) {
        self.requestShards = (0..<loopCount).map { _ in RequestMetrics() }
        self.server = server
        self.lifecycle = lifecycle
        self.logSink = logSink
        self.startTime = startTime
    }

    public func requests(route: Route, status: HTTPStatus) -> Int {
        requestShards.reduce(0) { $0 + $1.requests(route: route, status: status) }
    }
}
