import HTTPServer

/// Log lines for the server's own events and the service's lifecycle.
enum ServerEventLog {
    static func write(_ event: ServerEvent, to sink: LogSink) {
        switch event {
        case .listening(let address, let port, let loopCount):
            sink.event(.info, "listening") { writer, line in
                writer.field(&line, "address", address: address)
                writer.field(&line, "port", integer: Int(port))
                writer.field(&line, "threads", integer: loopCount)
            }
        case .ipv6Unavailable(let error):
            sink.event(.warn, "ipv6_unavailable") { writer, line in
                writer.field(&line, "error", string: error.description)
                writer.field(&line, "fallback", literal: "0.0.0.0")
            }
        case .signalReceived(let signal):
            sink.event(.info, "signal") { writer, line in
                writer.field(&line, "signal", string: signalName(signal))
            }
        case .acceptPaused(let loop, let reason):
            sink.event(.warn, "accept_paused") { writer, line in
                writer.field(&line, "loop", integer: loop)
                writer.field(&line, "reason", string: reason)
            }
        case .loopFailed(let loop, let error):
            sink.event(.error, "loop_failed") { writer, line in
                writer.field(&line, "loop", integer: loop)
                writer.field(&line, "error", string: error.description)
            }
        }
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 2: "SIGINT"
        case 15: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}
