import Testing

@testable import HTTPServer

/// What a complete head must look like.
struct ExpectedHead: Sendable, Equatable {
    var method: HTTPMethod = .get
    var path = "/"
    var version: HTTPVersion = .http1_1
    var body: HTTPBodyFraming = .none
    var keepAlive = true
    var expectsContinue = false
}

struct ParserCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable, Equatable {
        case complete(ExpectedHead)
        case error(HTTPParseError)
    }

    let name: String
    let bytes: [UInt8]
    let outcome: Outcome

    init(_ name: String, _ text: String, _ outcome: Outcome) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.outcome = outcome
    }

    init(_ name: String, bytes: [UInt8], _ outcome: Outcome) {
        self.name = name
        self.bytes = bytes
        self.outcome = outcome
    }

    var testDescription: String { name }
}

/// Parses with a fresh header index, carrying `progress` like a connection does.
func parse(_ bytes: [UInt8], progress: inout HTTPParseProgress, parser: HTTPRequestParser = HTTPRequestParser())
    -> (HTTPParseResult, [String: String])
{
    var fields = HTTPHeaderIndex(capacity: parser.limits.maxHeaderFields)
    let result = bytes.withUnsafeBytes { parser.parse($0, progress: &progress, fields: &fields) }
    var headers: [String: String] = [:]
    if case .complete = result {
        bytes.withUnsafeBytes { raw in
            for field in fields.fields {
                let name = String(decoding: raw[Int(field.nameStart)..<Int(field.nameEnd)], as: UTF8.self).lowercased()
                headers[name] = String(decoding: raw[Int(field.valueStart)..<Int(field.valueEnd)], as: UTF8.self)
            }
        }
    }
    return (result, headers)
}

func describe(_ result: HTTPParseResult, bytes: [UInt8]) -> ParserCase.Outcome? {
    switch result {
    case .incomplete:
        return nil
    case .invalid(let error):
        return .error(error)
    case .complete(let head):
        let path = String(decoding: bytes[head.path], as: UTF8.self)
        return .complete(
            ExpectedHead(
                method: head.method, path: path, version: head.version, body: head.body, keepAlive: head.keepAlive,
                expectsContinue: head.expectsContinue))
    }
}

let validRequests: [ParserCase] = [
    ParserCase("minimal GET", "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n", .complete(ExpectedHead())),
    ParserCase(
        "query string is not part of the path", "GET /?utm=1&x=%20 HTTP/1.1\r\nHost: a\r\n\r\n",
        .complete(ExpectedHead())),
    ParserCase(
        "absolute-form target", "GET http://example.com:8080/healthz?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
        .complete(ExpectedHead(path: "/healthz"))),
    ParserCase(
        "absolute-form without a path", "GET https://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
        .complete(ExpectedHead(path: ""))),
    ParserCase("HEAD", "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", .complete(ExpectedHead(method: .head))),
    ParserCase(
        "HTTP/1.0 closes by default", "GET / HTTP/1.0\r\n\r\n",
        .complete(ExpectedHead(version: .http1_0, keepAlive: false))),
    ParserCase(
        "HTTP/1.0 asking for keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
        .complete(ExpectedHead(version: .http1_0, keepAlive: true))),
    ParserCase(
        "Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
        .complete(ExpectedHead(keepAlive: false))),
    ParserCase(
        "close among other connection options", "GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, TE,  CLOSE \r\n\r\n",
        .complete(ExpectedHead(keepAlive: false))),
    ParserCase(
        "Content-Length body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        .complete(ExpectedHead(method: .post, body: .length(5)))),
    ParserCase(
        "Content-Length zero", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
        .complete(ExpectedHead(method: .post))),
    ParserCase(
        "Content-Length with leading zeros and whitespace", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  007 \r\n\r\n",
        .complete(ExpectedHead(method: .post, body: .length(7)))),
    ParserCase(
        "chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
        .complete(ExpectedHead(method: .post, body: .chunked))),
    ParserCase(
        "chunked last after other codings, over two lines",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n",
        .complete(ExpectedHead(method: .post, body: .chunked))),
    ParserCase(
        "field names are case-insensitive", "GET / HTTP/1.1\r\nhOsT: a\r\nCONTENT-LENGTH: 2\r\n\r\n",
        .complete(ExpectedHead(body: .length(2)))),
    ParserCase(
        "leading empty lines are ignored", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .complete(ExpectedHead())),
    ParserCase(
        "obs-text in a field value", "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: caf\u{e9}\r\n\r\n",
        .complete(ExpectedHead())),
    ParserCase(
        "empty Host value", "GET / HTTP/1.1\r\nHost:\r\n\r\n", .complete(ExpectedHead())),
    ParserCase(
        "IPv6 literal Host", "GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n", .complete(ExpectedHead())),
    ParserCase(
        "unknown method is parsed for a 501", "BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n",
        .complete(ExpectedHead(method: .unknown, path: "/pot"))),
    ParserCase(
        "asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        .complete(ExpectedHead(method: .options, path: "*"))),
    ParserCase(
        "authority-form with CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        .complete(ExpectedHead(method: .connect, path: ""))),
    ParserCase(
        "Expect: 100-continue with content",
        "PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n",
        .complete(ExpectedHead(method: .put, body: .length(3), expectsContinue: true))),
    ParserCase(
        "tab as field whitespace", "GET / HTTP/1.1\r\nHost:\ta\t\r\n\r\n", .complete(ExpectedHead())),
]

let invalidRequests: [ParserCase] = [
    ParserCase("TLS ClientHello", bytes: [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03], .error(.invalidMethod)),
    ParserCase("HTTP/0.9 request line", "GET /\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("line starting with a space", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("two spaces after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("method with a control character", "GE\u{1}T / HTTP/1.1\r\n\r\n", .error(.invalidMethod)),
    ParserCase("lower-case protocol name", "GET / http/1.1\r\nHost: a\r\n\r\n", .error(.invalidVersion)),
    ParserCase("version without a dot", "GET / HTTP/11\r\nHost: a\r\n\r\n", .error(.invalidVersion)),
    ParserCase("version with extra digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .error(.invalidVersion)),
    ParserCase("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
    ParserCase("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
    ParserCase("HTTP/0.9 with a version", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", .error(.unsupportedVersion)),
    ParserCase("bare LF ending the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("bare LF ending a field line", "GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", .error(.invalidHeaderValue)),
    ParserCase("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", .error(.invalidHeaderName)),
    ParserCase("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", .error(.invalidHeaderValue)),
    ParserCase("NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", .error(.invalidHeaderValue)),
    ParserCase("control character in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: \u{1b}[31m\r\n\r\n", .error(.invalidHeaderValue)),
    ParserCase("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7f}\r\n\r\n", .error(.invalidHeaderValue)),
    ParserCase("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n  b\r\n\r\n", .error(.obsoleteLineFolding)),
    ParserCase("space before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .error(.whitespaceBeforeColon)),
    ParserCase("tab before the colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .error(.whitespaceBeforeColon)),
    ParserCase("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", .error(.invalidHeaderName)),
    ParserCase("field name with a separator", "GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", .error(.invalidHeaderName)),
    ParserCase("field line without a colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", .error(.whitespaceBeforeColon)),
    ParserCase("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", .error(.invalidHost)),
    ParserCase("two Host lines", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .error(.invalidHost)),
    ParserCase("two Host lines in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", .error(.invalidHost)),
    ParserCase("Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", .error(.invalidHost)),
    ParserCase("Host with a slash", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .error(.invalidHost)),
    ParserCase(
        "Content-Length and Transfer-Encoding",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
        .error(.conflictingFraming)),
    ParserCase(
        "Transfer-Encoding and Content-Length",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
        .error(.conflictingFraming)),
    ParserCase(
        "repeated Content-Length, same value", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
        .error(.invalidContentLength)),
    ParserCase(
        "conflicting Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
        .error(.invalidContentLength)),
    ParserCase("Content-Length list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", .error(.invalidContentLength)),
    ParserCase("negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .error(.invalidContentLength)),
    ParserCase("signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n", .error(.invalidContentLength)),
    ParserCase("hex Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n", .error(.invalidContentLength)),
    ParserCase("space inside Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", .error(.invalidContentLength)),
    ParserCase("empty Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", .error(.invalidContentLength)),
    ParserCase(
        "Content-Length overflowing 64 bits", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
        .error(.contentTooLarge)),
    ParserCase(
        "Content-Length over the limit", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 65537\r\n\r\n",
        .error(.contentTooLarge)),
    ParserCase(
        "last coding not chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        .error(.invalidTransferEncoding)),
    ParserCase(
        "only gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .error(.invalidTransferEncoding)),
    ParserCase(
        "chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
        .error(.invalidTransferEncoding)),
    ParserCase(
        "chunked with parameters", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
        .error(.invalidTransferEncoding)),
    ParserCase(
        "empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", .error(.invalidTransferEncoding)),
    ParserCase(
        "Transfer-Encoding in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
        .error(.invalidTransferEncoding)),
    ParserCase("control character in the target", "GET /a\u{1}b HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("non-ASCII target", "GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("fragment in the target", "GET /#top HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("asterisk with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("authority-form with GET", "GET example.com:80 HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("absolute-form without authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidTarget)),
    ParserCase("Expect other than 100-continue", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", .error(.unsupportedExpectation)),
    ParserCase("too many leading empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase("leading bare LF", "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .error(.invalidRequestLine)),
    ParserCase(
        "request line over the limit", "GET /" + String(repeating: "a", count: 8200) + " HTTP/1.1\r\nHost: a\r\n\r\n",
        .error(.requestLineTooLong)),
    ParserCase(
        "invalid byte early in an over-long target (found by the fuzzer)",
        "GET /" + String(repeating: "a", count: 100) + "\u{9f}" + String(repeating: "a", count: 8200) + " HTTP/1.1\r\nHost: a\r\n\r\n",
        .error(.invalidTarget)),
    ParserCase(
        "header section over the limit", "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 17000) + "\r\n\r\n",
        .error(.headerSectionTooLarge)),
    ParserCase(
        "too many field lines",
        "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: 100) + "\r\n",
        .error(.tooManyHeaderFields)),
]

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    @Test("valid requests", arguments: validRequests)
    func valid(_ testCase: ParserCase) {
        checkWhole(testCase)
    }

    @Test("invalid requests", arguments: invalidRequests)
    func invalid(_ testCase: ParserCase) {
        checkWhole(testCase)
    }

    @Test("every split position, with progress carried", arguments: validRequests + invalidRequests)
    func splits(_ testCase: ParserCase) {
        let bytes = testCase.bytes
        // Every position for ordinary requests; a sample for the multi-kilobyte limit cases.
        for split in stride(from: 1, to: bytes.count, by: bytes.count > 2048 ? 97 : 1) {
            var progress = HTTPParseProgress()
            let (first, _) = parse(Array(bytes[..<split]), progress: &progress)
            if let outcome = describe(first, bytes: bytes) {
                // Only errors may show before the whole head is there, and it must be the same error;
                // a complete head may show early only when the split falls inside the content.
                if case .error = outcome {
                    #expect(outcome == testCase.outcome, "split at \(split)")
                    continue
                }
                #expect(outcome == testCase.outcome, "split at \(split)")
                continue
            }
            let (second, _) = parse(bytes, progress: &progress)
            #expect(describe(second, bytes: bytes) == testCase.outcome, "split at \(split)")
        }
    }

    @Test("one byte at a time", arguments: validRequests + invalidRequests)
    func byteByByte(_ testCase: ParserCase) {
        var progress = HTTPParseProgress()
        var result: ParserCase.Outcome?
        for length in 1...testCase.bytes.count {
            let (step, _) = parse(Array(testCase.bytes[..<length]), progress: &progress)
            if let outcome = describe(step, bytes: testCase.bytes) {
                result = outcome
                break
            }
        }
        #expect(result == testCase.outcome)
    }

    func checkWhole(_ testCase: ParserCase) {
        var progress = HTTPParseProgress()
        let (result, _) = parse(testCase.bytes, progress: &progress)
        #expect(describe(result, bytes: testCase.bytes) == testCase.outcome)
    }

    @Test func headLengthStopsAtTheContent() {
        var progress = HTTPParseProgress()
        let bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET".utf8)
        let (result, headers) = parse(bytes, progress: &progress)
        guard case .complete(let head) = result else {
            Issue.record("expected a complete head, got \(result)")
            return
        }
        #expect(head.headLength == bytes.count - 8)
        #expect(headers["host"] == "a")
        #expect(headers["content-length"] == "5")
    }

    @Test func fieldValuesAreTrimmed() {
        var progress = HTTPParseProgress()
        let (_, headers) = parse(Array("GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For:  1.2.3.4 ,5.6.7.8 \t\r\n\r\n".utf8), progress: &progress)
        #expect(headers["x-forwarded-for"] == "1.2.3.4 ,5.6.7.8")
    }

    @Test func incompleteHeadIsIncomplete() {
        var progress = HTTPParseProgress()
        let (result, _) = parse(Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8), progress: &progress)
        #expect(result == .incomplete)
        #expect(progress.requestLineComplete)
    }

    @Test func limitsAreConfigurable() {
        let parser = HTTPRequestParser(limits: HTTPParserLimits(maxRequestLineLength: 20, maxHeadLength: 64, maxHeaderFields: 2))
        var progress = HTTPParseProgress()
        #expect(parse(Array("GET /0123456789abcdef HTTP/1.1\r\n".utf8), progress: &progress, parser: parser).0 == .invalid(.requestLineTooLong))
        progress = HTTPParseProgress()
        #expect(parse(Array("GET / HTTP/1.1\r\nHost: a\r\nA: b\r\nC: d\r\n\r\n".utf8), progress: &progress, parser: parser).0 == .invalid(.tooManyHeaderFields))
        progress = HTTPParseProgress()
        let long = "GET / HTTP/1.1\r\nHost: a\r\nA: " + String(repeating: "b", count: 60)
        #expect(parse(Array(long.utf8), progress: &progress, parser: parser).0 == .invalid(.headerSectionTooLarge))
    }
}
