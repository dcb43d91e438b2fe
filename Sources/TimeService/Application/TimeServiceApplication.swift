import HTTPServer

/// The application shared by all event loops: configuration, client-IP rules, logs, metrics.
/// It makes one `TimeServiceHandler` per loop.
public final class TimeServiceApplication: HTTPHandlerFactory {
    public let configuration: ServiceConfiguration
    public let resolver: ClientAddressResolver
    public let logSink: LogSink
    public let metrics: MetricsRegistry
    private let processNonce = RequestIDGenerator.randomNonce()

    public init(
        configuration: ServiceConfiguration, lifecycle: ServerLifecycle, serverMetrics: ServerMetrics, logSink: LogSink,
        startTime: WallClockTime
    ) {
        self.configuration = configuration
        self.resolver = ClientAddressResolver(trustedProxies: configuration.trustedProxies)
        self.logSink = logSink
        self.metrics = MetricsRegistry(
            loopCount: configuration.threads, server: serverMetrics, lifecycle: lifecycle, logSink: logSink,
            startTime: startTime)
    }

    public func makeHandler(for loop: EventLoopContext) -> any HTTPHandler {
        TimeServiceHandler(
            loop: loop, resolver: resolver, logSink: logSink, metrics: metrics,
            requestMetrics: metrics.requestShards[loop.loopIndex], processNonce: processNonce)
    }
}
