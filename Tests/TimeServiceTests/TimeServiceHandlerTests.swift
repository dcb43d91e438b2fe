import Glibc
import Testing

@testable import HTTPServer
import TestSupport
@testable import TimeService

/// A handler wired to a real log sink writing into a pipe, so tests see the log lines.
final class HandlerHarness {
    let lifecycle = ServerLifecycle()
    let serverMetrics = ServerMetrics(loopCount: 1)
    let sink: LogSink
    let application: TimeServiceApplication
    let handler: any HTTPHandler
    let logRead: Int32
    var response = HTTPResponse()

    init(configuration: ServiceConfiguration = ServiceConfiguration(), format: LogFormat = .json) throws {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { throw SystemError("pipe", code: errno) }
        logRead = descriptors[0]
        var configuration = configuration
        configuration.threads = 1
        sink = try LogSink(format: format, level: .info, accessLogEnabled: configuration.accessLog, output: descriptors[1])
        application = TimeServiceApplication(
            configuration: configuration, lifecycle: lifecycle, serverMetrics: serverMetrics, logSink: sink,
            startTime: WallClockTime(milliseconds: 1_796_396_000_000))
        handler = application.makeHandler(for: EventLoopContext(loopIndex: 0, lifecycle: lifecycle, metrics: serverMetrics))
        logWriteEnd = descriptors[1]
    }

    private let logWriteEnd: Int32

    /// Handles a request and returns (status, headers, body).
    func send(_ head: String, peer: String = "203.0.113.7") -> (HTTPStatus, String, String) {
        withRequest(head, peer: IPAddress(peer)!.unmapped) { request in
            response.reset()
            handler.handle(request, response: &response)
        }
        return (
            response.status, String(decoding: response.headerLines.readableBytes, as: UTF8.self),
            String(decoding: response.body.readableBytes, as: UTF8.self)
        )
    }

    /// Flushes and stops the sink, and returns every log line written.
    func logLines() -> [String] {
        handler.loopIterationDidEnd()
        sink.shutdown()
        close(logWriteEnd)
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(logRead, &chunk, chunk.count)
            guard count > 0 else { break }
            text += chunk[..<count]
        }
        close(logRead)
        return String(decoding: text, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

@Suite("Time service handler")
struct TimeServiceHandlerTests {
    let get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test func rootAnswersTimeAndAddress() throws {
        let harness = try HandlerHarness()
        let (status, headers, body) = harness.send(get)
        #expect(status == .ok)
        #expect(body == #"{"timestamp":"2026-12-04T15:00:00.123Z","ip":"203.0.113.7"}"#)
        #expect(headers.hasPrefix("X-Request-Id: "))
        _ = harness.logLines()
    }

    @Test func ipv6PeerInCanonicalForm() throws {
        let harness = try HandlerHarness()
        #expect(harness.send(get, peer: "2001:DB8:0:0::1").2.hasSuffix(#""ip":"2001:db8::1"}"#))
        #expect(harness.send(get, peer: "::ffff:10.0.0.5").2.hasSuffix(#""ip":"10.0.0.5"}"#))
        _ = harness.logLines()
    }

    @Test func trustedProxyForwardsTheClient() throws {
        var configuration = ServiceConfiguration()
        configuration.trustedProxies = [IPNetwork("10.0.0.0/16")!]
        let harness = try HandlerHarness(configuration: configuration)
        let body = harness.send("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 6.6.6.6, 198.51.100.9\r\n\r\n", peer: "10.0.3.4").2
        #expect(body.hasSuffix(#""ip":"198.51.100.9"}"#))
        let lines = harness.logLines()
        #expect(lines.last?.contains(#""client_ip":"198.51.100.9","peer_ip":"10.0.3.4""#) == true)
    }

    @Test("statuses by method and path", arguments: [
        ("GET /healthz HTTP/1.1", HTTPStatus.ok, #"{"status":"ok"}"#),
        ("GET /readyz HTTP/1.1", .ok, #"{"status":"ready"}"#),
        ("HEAD / HTTP/1.1", .ok, nil),
        ("GET /missing HTTP/1.1", .notFound, #"{"error":"not found"}"#),
        ("POST / HTTP/1.1", .methodNotAllowed, #"{"error":"method not allowed"}"#),
        ("DELETE /healthz HTTP/1.1", .methodNotAllowed, #"{"error":"method not allowed"}"#),
        ("POST /missing HTTP/1.1", .notFound, #"{"error":"not found"}"#),
        ("BREW / HTTP/1.1", .notImplemented, #"{"error":"not implemented"}"#),
        ("BREW /missing HTTP/1.1", .notImplemented, #"{"error":"not implemented"}"#),
        ("GET http://a/healthz?x=1 HTTP/1.1", .ok, #"{"status":"ok"}"#),
    ] as [(String, HTTPStatus, String?)])
    func statuses(_ requestLine: String, _ status: HTTPStatus, _ body: String?) throws {
        let harness = try HandlerHarness()
        let (answered, headers, answeredBody) = harness.send(requestLine + "\r\nHost: a\r\n\r\n")
        #expect(answered == status)
        if let body { #expect(answeredBody == body) }
        #expect(headers.contains("Allow: GET, HEAD\r\n") == (status == .methodNotAllowed))
        _ = harness.logLines()
    }

    @Test func readinessFailsWhileDraining() throws {
        let harness = try HandlerHarness()
        harness.lifecycle.startDraining()
        let (status, _, body) = harness.send("GET /readyz HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(status == .serviceUnavailable)
        #expect(body == #"{"status":"draining"}"#)
        #expect(harness.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n").0 == .ok, "liveness is not readiness")
        _ = harness.logLines()
    }

    @Test func requestIDIsEchoedOnlyWhenSafe() throws {
        let harness = try HandlerHarness()
        #expect(harness.send("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: abc-123\r\n\r\n").1 == "X-Request-Id: abc-123\r\n")
        let replaced = harness.send("GET / HTTP/1.1\r\nHost: a\r\nX-Request-Id: <script>\r\n\r\n").1
        #expect(!replaced.contains("script"))
        #expect(replaced.utf8.count == "X-Request-Id: \r\n".utf8.count + RequestIDGenerator.length)
        _ = harness.logLines()
    }

    @Test func accessLogLineHasEveryField() throws {
        let harness = try HandlerHarness()
        _ = harness.send("GET /missing?secret=token HTTP/1.1\r\nHost: a\r\nUser-Agent: evil\"\u{e9}\r\nX-Request-Id: r-1\r\n\r\n")
        let lines = harness.logLines()
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        #expect(line.hasPrefix(#"{"time":"2026-12-04T15:00:00.123Z","level":"info","event":"request","method":"GET","path":"/missing","status":404,"bytes":21,"duration_us":"#))
        #expect(line.hasSuffix(#","client_ip":"203.0.113.7","peer_ip":"203.0.113.7","user_agent":"evil\"\u00c3\u00a9","request_id":"r-1"}"#))
        #expect(!line.contains("secret"), "the query string is not logged")
    }

    @Test func textLogFormat() throws {
        let harness = try HandlerHarness(format: .text)
        _ = harness.send(get)
        let line = try #require(harness.logLines().first)
        #expect(line.hasPrefix("2026-12-04T15:00:00.123Z info request method=\"GET\" path=\"/\" status=200 bytes=59 duration_us="))
    }

    @Test func accessLogCanBeTurnedOff() throws {
        var configuration = ServiceConfiguration()
        configuration.accessLog = false
        let harness = try HandlerHarness(configuration: configuration)
        #expect(harness.send(get).0 == .ok)
        #expect(harness.logLines().isEmpty)
    }

    @Test func metricsAreValidExpositionText() throws {
        let harness = try HandlerHarness()
        _ = harness.send(get)
        _ = harness.send(get)
        _ = harness.send("GET /missing HTTP/1.1\r\nHost: a\r\n\r\n")
        harness.serverMetrics.parseErrorSeen(.invalidHost, loop: 0)
        let (status, _, body) = harness.send("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(status == .ok)
        #expect(harness.response.contentType.description == "text/plain; version=0.0.4; charset=utf-8")
        var validator = PrometheusTextValidator()
        try validator.validate(body)
        #expect(validator.value("simple_time_service_http_requests_total", ["route": "/", "code": "200"]) == 2)
        #expect(validator.value("simple_time_service_http_requests_total", ["route": "unmatched", "code": "404"]) == 1)
        #expect(validator.value("simple_time_service_http_request_duration_seconds_count") == 3)
        #expect(validator.value("simple_time_service_http_parse_errors_total", ["kind": "invalid_host"]) == 1)
        #expect(validator.value("simple_time_service_log_lines_dropped_total") == 0)
        #expect(validator.value("simple_time_service_draining") == 0)
        #expect(validator.value("process_start_time_seconds") == 1_796_396_000)
        #expect(validator.samples.contains { $0.name == "simple_time_service_build_info" && $0.labels["version"] != nil })
        for name in ["simple_time_service_open_connections", "simple_time_service_connections_accepted_total", "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_max_fds"] {
            #expect(validator.value(name) != nil, "\(name)")
        }
        _ = harness.logLines()
    }
}
