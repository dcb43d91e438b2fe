import Foundation
import TestSupport
import Testing

/// The service as curl sees it.
@Suite("curl")
struct CurlTests {
    func curl(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let result = try ChildProcess.run("/usr/bin/curl", arguments: ["--silent", "--show-error", "--max-time", "10"] + arguments)
        return (result.status, result.stdout, result.stderr)
    }

    @Test func getOverIPv4AndIPv6() throws {
        let service = try ServiceProcess.start()
        let v4 = try curl(["http://127.0.0.1:\(service.port)/"])
        #expect(v4.status == 0)
        #expect(v4.output.hasSuffix(#","ip":"127.0.0.1"}"#))
        let v6 = try curl(["http://[::1]:\(service.port)/"])
        #expect(v6.status == 0)
        #expect(v6.output.hasSuffix(#","ip":"::1"}"#))
    }

    @Test func reusesTheConnection() throws {
        let service = try ServiceProcess.start()
        let result = try curl(["--verbose", "http://127.0.0.1:\(service.port)/", "http://127.0.0.1:\(service.port)/healthz"])
        #expect(result.status == 0)
        #expect(result.error.contains("Re-using existing connection"))
        #expect(result.output.hasSuffix(#"{"status":"ok"}"#))
    }

    @Test func http10() throws {
        let service = try ServiceProcess.start()
        let result = try curl(["--http1.0", "--include", "http://127.0.0.1:\(service.port)/healthz"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(result.output.contains("Connection: close\r\n"))
    }

    @Test func uploadWithExpectContinue() throws {
        let service = try ServiceProcess.start()
        let result = try curl([
            "--include", "--header", "Expect: 100-continue", "--data-binary", String(repeating: "x", count: 4096),
            "http://127.0.0.1:\(service.port)/",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
        #expect(result.output.contains("Allow: GET, HEAD\r\n"))
    }

    @Test func headRequest() throws {
        let service = try ServiceProcess.start()
        let result = try curl(["--head", "http://127.0.0.1:\(service.port)/"])
        #expect(result.status == 0)
        #expect(result.output.contains("Cache-Control: no-store\r\n"))
        #expect(!result.output.contains("timestamp"))
    }
}
