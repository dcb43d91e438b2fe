import Foundation
import TestSupport
import Testing

/// The API contract, checked against the real release binary over real sockets.
@Suite("API contract")
struct APIContractTests {
    static var bodyPattern: Regex<(Substring, Substring, Substring)> { #/^\{"timestamp":"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)","ip":"([^"]+)"\}$/# }

    func checkCommonHeaders(_ response: HTTPResponseMessage, bodyLength: Int) {
        #expect(response.header("Date") != nil)
        #expect(response.header("Content-Length") == String(bodyLength))
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("Server") == nil, "no version banner")
        #expect(response.header("X-Request-Id") != nil)
    }

    @Test func rootReturnsTheTimeAndTheCallersAddress() throws {
        let service = try ServiceProcess.start()
        let before = Date()
        let response = try service.get("/")
        let after = Date()
        #expect(response.statusLine == "HTTP/1.1 200 OK")
        #expect(response.header("Content-Type") == "application/json")
        checkCommonHeaders(response, bodyLength: response.body.count)
        let match = try #require(try Self.bodyPattern.wholeMatch(in: response.bodyText))
        #expect(match.output.2 == "127.0.0.1")
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let timestamp = try #require(formatter.date(from: String(match.output.1)))
        #expect(timestamp >= before.addingTimeInterval(-1) && timestamp <= after.addingTimeInterval(1))
        #expect(response.header("Date").flatMap { httpDateFormatter().date(from: $0) } != nil)
    }

    @Test func ipv6ClientsAreReportedInCanonicalForm() throws {
        let service = try ServiceProcess.start()
        let response = try service.request("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n", host: "::1")
        #expect(try Self.bodyPattern.wholeMatch(in: response.bodyText)?.output.2 == "::1")
    }

    @Test func ipv4ClientsOfTheDualStackSocketAreNotMapped() throws {
        let service = try ServiceProcess.start(environment: ["HOST": "::"])
        let response = try service.get("/")
        #expect(try Self.bodyPattern.wholeMatch(in: response.bodyText)?.output.2 == "127.0.0.1")
    }

    @Test("targets", arguments: ["/?x=1&y=%20", "/?", "http://example.com/", "http://example.com", "HTTP://EXAMPLE.COM:80/?q"])
    func queryAndAbsoluteForm(_ target: String) throws {
        let service = try ServiceProcess.start()
        let response = try service.request("GET \(target) HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
        #expect(response.status == 200)
        #expect(try Self.bodyPattern.wholeMatch(in: response.bodyText) != nil)
    }

    @Test func headHasTheHeadersOfGetAndNoBody() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        try connection.send("HEAD / HTTP/1.1\r\nHost: test\r\n\r\nGET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        let head = try connection.readResponse(forHead: true)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "application/json")
        let length = try #require(head.header("Content-Length").flatMap(Int.init))
        #expect(length >= 45)
        checkCommonHeaders(head, bodyLength: length)
        // The next bytes are the next response, so HEAD sent no body.
        let next = try connection.readResponse()
        #expect(next.bodyText == #"{"status":"ok"}"#)
    }

    @Test("other routes", arguments: [
        ("GET /healthz", 200, #"{"status":"ok"}"#, nil),
        ("GET /readyz", 200, #"{"status":"ready"}"#, nil),
        ("GET /nope", 404, #"{"error":"not found"}"#, nil),
        ("GET /healthz/", 404, #"{"error":"not found"}"#, nil),
        ("POST /", 405, #"{"error":"method not allowed"}"#, "GET, HEAD"),
        ("DELETE /healthz", 405, #"{"error":"method not allowed"}"#, "GET, HEAD"),
        ("PUT /readyz", 405, #"{"error":"method not allowed"}"#, "GET, HEAD"),
        ("BREW /", 501, #"{"error":"not implemented"}"#, nil),
    ] as [(String, Int, String, String?)])
    func routes(_ requestLine: String, _ status: Int, _ body: String, _ allow: String?) throws {
        let service = try ServiceProcess.start()
        let response = try service.request("\(requestLine) HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(response.status == status)
        #expect(response.bodyText == body)
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("Allow") == allow)
        checkCommonHeaders(response, bodyLength: body.utf8.count)
    }

    @Test func metricsAreServedInTheExpositionFormat() throws {
        let service = try ServiceProcess.start()
        _ = try service.get("/")
        _ = try service.get("/nope")
        _ = try service.request("GET / HTTP/1.1\r\n\r\n")  // no Host: a parse error
        let response = try service.get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        var validator = PrometheusTextValidator()
        try validator.validate(response.bodyText)
        #expect(validator.value("simple_time_service_http_requests_total", ["route": "/", "code": "200"]) == 1)
        #expect(validator.value("simple_time_service_http_requests_total", ["route": "unmatched", "code": "404"]) == 1)
        #expect(validator.value("simple_time_service_http_parse_errors_total", ["kind": "invalid_host"]) == 1)
        #expect((validator.value("simple_time_service_connections_accepted_total") ?? 0) >= 4)
        #expect((validator.value("simple_time_service_open_connections") ?? 0) >= 1)
        #expect(validator.samples.contains { $0.name == "simple_time_service_build_info" })
    }
}

func httpDateFormatter() -> DateFormatter {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter
}
