#if canImport(Glibc)
import Glibc
#endif

/// The server: binds the listening sockets, runs one event loop per thread, and turns SIGTERM or
/// SIGINT into a graceful drain.
///
/// `run` blocks the calling thread, which handles the signals: they are blocked in every thread
/// and collected with `sigtimedwait`, so shutdown logic never runs inside a signal handler.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    public let lifecycle: ServerLifecycle
    public let metrics: ServerMetrics
    private let handlerFactory: any HTTPHandlerFactory

    /// SIGUSR1 is internal: a loop that ends sends it to the controlling thread.
    private static let loopEndedSignal = SIGUSR1

    /// - Parameters:
    ///   - lifecycle, metrics: shared with the application, which reads them (readiness, scrapes).
    public init(
        configuration: HTTPServerConfiguration,
        lifecycle: ServerLifecycle = ServerLifecycle(),
        metrics: ServerMetrics? = nil,
        handlerFactory: any HTTPHandlerFactory
    ) {
        precondition(configuration.loopCount > 0)
        self.configuration = configuration
        self.handlerFactory = handlerFactory
        self.lifecycle = lifecycle
        self.metrics = metrics ?? ServerMetrics(loopCount: configuration.loopCount)
    }

    /// Serves until a stop signal, then drains.
    ///
    /// - Throws: when the listening sockets cannot be set up (the port is in use, the address
    ///   does not exist here, ...).
    public func run(onEvent: @escaping @Sendable (ServerEvent) -> Void) throws(SystemError) -> ShutdownOutcome {
        SignalSet.ignoreBrokenPipe()
        let signals = SignalSet([SIGTERM, SIGINT, Self.loopEndedSignal])
        signals.block()  // before any loop thread starts, so they all inherit the mask

        let listeners = try bindListeners(onEvent: onEvent)
        let controllingThread = pthread_self()
        var controls: [EventLoopControl] = []
        var threads: [OSThread] = []
        for (index, listener) in listeners.enumerated() {
            let control = try EventLoopControl()
            controls.append(control)
            let context = EventLoopContext(loopIndex: index, lifecycle: lifecycle, metrics: metrics)
            let configuration = self.configuration
            let handlerFactory = self.handlerFactory
            threads.append(
                try OSThread.spawn(name: "event-loop-\(index)") {
                    var failure: SystemError?
                    do throws(SystemError) {
                        let handler = handlerFactory.makeHandler(for: context)
                        var loop = try EventLoop(
                            index: index, listener: listener, configuration: configuration, control: control,
                            metrics: context.metrics, handler: handler)
                        try loop.run()
                    } catch {
                        failure = error
                        onEvent(.loopFailed(loop: index, error: error))
                    }
                    control.markFinished(failure: failure)
                    pthread_kill(controllingThread, Self.loopEndedSignal)
                })
        }
        onEvent(.listening(address: listeners[0].address, port: listeners[0].port, loopCount: listeners.count))

        // Serve until a stop signal (or a loop failure).
        var stopSignal: Int32 = 0
        while stopSignal == 0 {
            guard let signal = signals.wait(timeoutMilliseconds: nil) else { continue }
            if signal == Self.loopEndedSignal {
                guard let ended = controls.first(where: { $0.isFinished }) else { continue }
                lifecycle.startDraining()
                controls.forEach { $0.requestDrain() }
                return .failed(ended.failureReason ?? SystemError("event loop", code: EIO))
            }
            stopSignal = signal
        }
        onEvent(.signalReceived(stopSignal))

        // Drain: readiness fails at once, loops stop accepting and finish their connections.
        lifecycle.startDraining()
        controls.forEach { $0.requestDrain() }
        let started = MonotonicTime.now()
        let deadline = started + configuration.shutdownTimeoutMilliseconds
        while true {
            if controls.allSatisfy(\.isFinished) {
                threads.forEach { $0.join() }
                return .drained(milliseconds: MonotonicTime.now().milliseconds - started.milliseconds)
            }
            let remaining = deadline.milliseconds - MonotonicTime.now().milliseconds
            if remaining <= 0 { return .timedOut(openConnections: metrics.openConnections) }
            if let signal = signals.wait(timeoutMilliseconds: remaining), signal != Self.loopEndedSignal {
                return .forced(signal: signal)
            }
        }
    }

    /// One listening socket per loop. `::` falls back to `0.0.0.0` where IPv6 is unavailable.
    private func bindListeners(onEvent: @Sendable (ServerEvent) -> Void) throws(SystemError) -> [ListeningSocket] {
        do {
            return try bindListeners(host: configuration.host)
        } catch where configuration.host == .ipv6Any && (error.code == EAFNOSUPPORT || error.code == EADDRNOTAVAIL) {
            onEvent(.ipv6Unavailable(error))
            return try bindListeners(host: .ipv4Any)
        }
    }

    private func bindListeners(host: IPAddress) throws(SystemError) -> [ListeningSocket] {
        let count = configuration.loopCount
        var port = configuration.port
        if count > 1, port != 0 {
            try ListeningSocket.checkAvailable(address: host, port: port)
        }
        var sockets: [ListeningSocket] = []
        do throws(SystemError) {
            for _ in 0..<count {
                let socket = try ListeningSocket.open(
                    address: host, port: port, reusePort: count > 1, backlog: configuration.backlog)
                port = socket.port  // with port 0, the first socket picks and the others follow
                sockets.append(socket)
            }
        } catch {
            sockets.forEach { $0.close() }
            throw error
        }
        return sockets
    }
}
