import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 behaviour of the real binary: connection management, framing, limits, timeouts.
@Suite("HTTP/1.1 protocol")
struct HTTPProtocolTests {
    let get = "GET / HTTP/1.1\r\nHost: test\r\n\r\n"

    @Test func keepAliveIsTheDefault() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        for _ in 0..<3 {
            try connection.send(get)
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.header("Connection") == "close")
        #expect(connection.readUntilClosed().ending == .closed)
    }

    @Test func http10ClosesUnlessItAsksForKeepAlive() throws {
        let service = try ServiceProcess.start()
        let closing = try service.connect()
        try closing.send("GET / HTTP/1.0\r\n\r\n")
        let first = try closing.readResponse()
        #expect(first.statusLine.hasPrefix("HTTP/1.1 200"))
        #expect(first.header("Connection") == "close")
        #expect(closing.readUntilClosed().ending == .closed)

        let kept = try service.connect()
        try kept.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        try kept.send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().bodyText == #"{"status":"ok"}"#)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        try connection.send(
            "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /nope HTTP/1.1\r\nHost: t\r\n\r\nHEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        #expect(try connection.readResponse().bodyText == #"{"status":"ok"}"#)
        #expect(try connection.readResponse().status == 404)
        #expect(try connection.readResponse(forHead: true).status == 200)
        #expect(try connection.readResponse().bodyText == #"{"status":"ready"}"#)
        #expect(connection.readUntilClosed().ending == .closed)
    }

    @Test func manyPipelinedRequestsInOneWrite() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        let count = 500
        try connection.send(String(repeating: get, count: count))
        for _ in 0..<count {
            #expect(try connection.readResponse().status == 200)
        }
    }

    @Test func aRequestArrivingOneByteAtATime() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        var noDelay: Int32 = 1
        setsockopt(connection.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        for byte in Array("GET /healthz HTTP/1.1\r\nHost: test\r\nUser-Agent: slow\r\n\r\n".utf8) {
            try connection.send([byte])
            usleep(2_000)
        }
        #expect(try connection.readResponse().bodyText == #"{"status":"ok"}"#)
    }

    @Test func contentIsDiscardedNotParsed() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        let smuggled = "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n\(smuggled)" + "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 405)
        #expect(try connection.readResponse().bodyText == #"{"status":"ok"}"#, "the body was not taken for a request")
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nGET \r\n0\r\nTrailer: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try connection.readResponse().status == 405)
        #expect(try connection.readResponse().bodyText == #"{"status":"ready"}"#)
    }

    @Test("malformed or ambiguous framing is rejected and the connection closed", arguments: [
        ("GET / HTTP/1.1\r\n\r\n", 400, "no Host"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "CL and TE"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400, "conflicting CL"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400, "repeated CL"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n", 400, "signed CL"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x3\r\n\r\n", 400, "hex CL"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400, "CL with a space"),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400, "chunked not last"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400, "obs-fold"),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400, "space before colon"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", 400, "NUL"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7}b\r\n\r\n", 400, "control character"),
        ("GET / HTTP/1.1\nHost: a\n\n", 400, "bare LF"),
        ("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400, "malformed request line"),
        ("GET / HTTP/1.x\r\nHost: a\r\n\r\n", 400, "malformed version"),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505, "HTTP/2.0"),
        ("GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505, "HTTP/3.0"),
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414, "long request line"),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 20000) + "\r\n\r\n", 431, "large header section"),
        ("GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X: y\r\n", count: 101) + "\r\n", 431, "too many fields"),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n", 413, "large body"),
        ("GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n", 417, "unknown expectation"),
    ] as [(String, Int, String)])
    func rejections(_ request: String, _ status: Int, _ name: String) throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        try connection.send(request)
        let response = try connection.readResponse()
        #expect(response.status == status, "\(name)")
        #expect(response.header("Connection") == "close")
        #expect(response.header("Content-Type") == "application/json")
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.bodyText.hasPrefix(#"{"error":""#))
        #expect(connection.readUntilClosed().ending == .closed, "closed gracefully, not reset")
        // The server is unharmed.
        #expect(try service.get("/healthz").status == 200)
    }

    @Test func errorResponsesSurviveUnreadClientBytes() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        // A bad request followed by more than the socket buffers hold: without a graceful close
        // the unread bytes would make the kernel reset the connection and destroy the response.
        try connection.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + String(repeating: "x", count: 256 * 1024))
        let response = try connection.readResponse()
        #expect(response.status == 400)
    }

    @Test func tlsOnThePlainPortIsRejected() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        // The start of a TLS 1.2 ClientHello record.
        try connection.send([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03] + [UInt8](repeating: 0x42, count: 160))
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(connection.readUntilClosed().ending == .closed)
        #expect(try service.get("/").status == 200)
    }

    @Test func randomGarbageNeverCrashesTheServer() throws {
        let service = try ServiceProcess.start()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let connection = try service.connect()
            let garbage = (0..<Int.random(in: 1...2048, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try? connection.send(garbage)
            connection.shutdownWriting()
            _ = connection.readUntilClosed(timeout: 5)
        }
        #expect(try service.get("/healthz").status == 200)
        #expect(service.process.isRunning)
    }

    @Test func aStalledRequestIsAnswered408() throws {
        let service = try ServiceProcess.start(environment: ["HEADER_TIMEOUT": "0.5"])
        let connection = try service.connect()
        try connection.send("GET / HTTP/1.1\r\nHost: t\r\n")
        let response = try connection.readResponse(timeout: 10)
        #expect(response.status == 408)
        #expect(response.bodyText == #"{"error":"request timeout"}"#)
        #expect(connection.readUntilClosed().ending == .closed)
    }

    @Test func anIdleConnectionIsClosed() throws {
        let service = try ServiceProcess.start(environment: ["IDLE_TIMEOUT": "0.5"])
        let connection = try service.connect()
        try connection.send(get)
        #expect(try connection.readResponse().status == 200)
        #expect(connection.readUntilClosed(timeout: 10).ending == .closed)
        let silent = try service.connect()
        #expect(silent.readUntilClosed(timeout: 10).ending == .closed, "a connection that never sends is idle too")
    }

    @Test func expectContinueGetsAFinalResponse() throws {
        let service = try ServiceProcess.start()
        let connection = try service.connect()
        try connection.send("POST / HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 405)
        #expect(response.header("Connection") == "close")
    }
}
