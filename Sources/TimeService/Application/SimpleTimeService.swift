import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// The program: reads the invocation, then serves, checks health or prints.
public enum SimpleTimeService {
    /// Runs the command line and returns the process exit status.
    public static func main(arguments: [String], environment: [String: String]) -> Int32 {
        let invocation: Invocation
        do {
            invocation = try ServiceConfiguration.parse(arguments: arguments, environment: environment)
        } catch {
            printError(error.message)
            return 2
        }
        switch invocation {
        case .help:
            writeStandardOutput(ServiceConfiguration.helpText)
            return 0
        case .version:
            writeStandardOutput("simple-time-service \(BuildInfo.version) (revision \(BuildInfo.revision))\n")
            return 0
        case .printConfiguration(let configuration):
            writeStandardOutput(configuration.json + "\n")
            return 0
        case .healthCheck(let options):
            switch HealthCheck.run(options) {
            case .healthy:
                return 0
            case .unhealthy(let reason):
                printError("unhealthy: \(reason)")
                return 1
            }
        case .serve(let configuration):
            return serve(configuration)
        }
    }

    static func serve(_ configuration: ServiceConfiguration) -> Int32 {
        let startTime = WallClockTime.now()
        let logSink: LogSink
        do {
            logSink = try LogSink(format: configuration.logFormat, level: configuration.logLevel, accessLogEnabled: configuration.accessLog)
        } catch {
            printError("cannot start the log writer: \(error)")
            return 1
        }
        defer { logSink.shutdown() }
        logSink.event(.info, "start") { writer, line in
            writer.field(&line, "version", string: BuildInfo.version)
            writer.field(&line, "revision", string: BuildInfo.revision)
            writer.field(&line, "config", rawJSON: configuration.logFormat == .json ? configuration.json : String(reflecting: configuration.json))
        }

        let lifecycle = ServerLifecycle()
        let serverMetrics = ServerMetrics(loopCount: configuration.threads)
        let application = TimeServiceApplication(
            configuration: configuration, lifecycle: lifecycle, serverMetrics: serverMetrics, logSink: logSink,
            startTime: startTime)
        let server = HTTPServer(
            configuration: configuration.serverConfiguration, lifecycle: lifecycle, metrics: serverMetrics,
            handlerFactory: application)

        let outcome: ShutdownOutcome
        do {
            outcome = try server.run { event in ServerEventLog.write(event, to: logSink) }
        } catch {
            let endpoint = configuration.host.isIPv4 ? "\(configuration.host):\(configuration.port)" : "[\(configuration.host)]:\(configuration.port)"
            let message = "cannot listen on \(endpoint): \(error)"
            logSink.event(.error, "listen_failed") { writer, line in writer.field(&line, "error", string: message) }
            printError(message)
            return 1
        }

        let status: Int32
        switch outcome {
        case .drained(let milliseconds):
            logSink.event(.info, "drained") { writer, line in writer.field(&line, "duration_ms", integer: Int(milliseconds)) }
            status = 0
        case .timedOut(let open):
            logSink.event(.warn, "shutdown_timeout") { writer, line in writer.field(&line, "open_connections", integer: open) }
            status = 0
        case .forced(let signal):
            logSink.event(.warn, "forced_exit") { writer, line in writer.field(&line, "signal", string: ServerEventLog.signalName(signal)) }
            status = 128 + signal
        case .failed(let error):
            logSink.event(.error, "failed") { writer, line in writer.field(&line, "error", string: error.description) }
            status = 1
        }
        logSink.event(.info, "exit") { writer, line in writer.field(&line, "status", integer: Int(status)) }
        return status
    }

    static func printError(_ message: String) {
        let line = "simple-time-service: " + message + "\n"
        var bytes = Array(line.utf8)
        _ = write(STDERR_FILENO, &bytes, bytes.count)
    }

    static func writeStandardOutput(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
