import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Command line and lifecycle")
struct CommandLineTests {
    @Test("a bad setting is one line on stderr and status 2", arguments: [
        (["PORT": "abc"], [String](), "invalid PORT \"abc\""),
        (["PORT": "70000"], [], "invalid PORT \"70000\""),
        (["LOG_LEVEL": "loud"], [], "invalid LOG_LEVEL \"loud\""),
        (["TRUSTED_PROXIES": "10.0.0.0/40"], [], "invalid TRUSTED_PROXIES"),
        (["SHUTDOWN_TIMEOUT": "-5"], [], "invalid SHUTDOWN_TIMEOUT \"-5\""),
        ([:], ["--port", "x"], "invalid --port \"x\""),
        ([:], ["--frobnicate"], "unknown option '--frobnicate'"),
    ] as [([String: String], [String], String)])
    func badSettings(_ environment: [String: String], _ arguments: [String], _ message: String) throws {
        let (status, stdout, stderr) = try ServiceProcess.run(arguments: arguments, environment: environment)
        #expect(status == 2)
        #expect(stdout.isEmpty)
        #expect(stderr.hasPrefix("simple-time-service: " + message))
        #expect(stderr.filter { $0 == "\n" }.count == 1, "one line: \(stderr)")
    }

    @Test func aPortInUseIsARuntimeFailure() throws {
        let occupant = try ServiceProcess.start(environment: ["THREADS": "1"])
        for threads in ["1", "2"] {
            let (status, _, stderr) = try ServiceProcess.run(arguments: [], environment: ["PORT": String(occupant.port), "THREADS": threads])
            #expect(status == 1)
            #expect(stderr.hasPrefix("simple-time-service: cannot listen on [::]:\(occupant.port): bind: Address already in use"))
            #expect(stderr.filter { $0 == "\n" }.count == 1)
        }
    }

    @Test func helpAndVersion() throws {
        let help = try ServiceProcess.run(arguments: ["--help"])
        #expect(help.status == 0)
        for name in ["PORT", "HOST", "TRUSTED_PROXIES", "SHUTDOWN_TIMEOUT", "IDLE_TIMEOUT", "HEADER_TIMEOUT", "MAX_CONNECTIONS", "THREADS", "LOG_FORMAT", "LOG_LEVEL", "ACCESS_LOG", "healthcheck"] {
            #expect(help.stdout.contains(name))
        }
        let version = try ServiceProcess.run(arguments: ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("simple-time-service "))
    }

    @Test func printConfigShowsTheEffectiveSettings() throws {
        let (status, stdout, _) = try ServiceProcess.run(arguments: ["--print-config", "--threads", "3"], environment: ["TRUSTED_PROXIES": "10.0.0.0/16", "PORT": "9000"])
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        #expect(object["port"] as? Int == 9000)
        #expect(object["threads"] as? Int == 3)
        #expect(object["trusted_proxies"] as? [String] == ["10.0.0.0/16"])
    }

    @Test func healthCheckSubcommand() throws {
        let service = try ServiceProcess.start()
        let healthy = try ServiceProcess.run(arguments: ["healthcheck"], environment: ["PORT": String(service.port)])
        #expect(healthy.status == 0)
        #expect(try ServiceProcess.run(arguments: ["healthcheck", "--port", String(service.port), "--host", "::1"]).status == 0)
        service.signal(SIGKILL)
        _ = service.waitForExit(timeout: 5)
        let down = try ServiceProcess.run(arguments: ["healthcheck", "--port", String(service.port)])
        #expect(down.status == 1)
        #expect(down.stderr.hasPrefix("simple-time-service: unhealthy: 127.0.0.1:\(service.port): connect: Connection refused"))
    }

    @Test func healthCheckFailsOnANon200Answer() throws {
        // A listener that answers 503 to anything.
        let listener = try LoopbackListener()
        let port = listener.port
        let responder = Thread {
            let client = accept(listener.descriptor, nil, nil)
            var buffer = [UInt8](repeating: 0, count: 1024)
            _ = read(client, &buffer, buffer.count)
            let answer = Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n".utf8)
            _ = write(client, answer, answer.count)
            close(client)
        }
        responder.start()
        let result = try ServiceProcess.run(arguments: ["healthcheck", "--port", String(port)])
        #expect(result.status == 1)
        #expect(result.stderr.contains("answered 503"))
    }

    @Test func sigtermOnAnIdleServerExitsZeroWithLifecycleLogs() throws {
        let service = try ServiceProcess.start()
        #expect(try service.get("/").status == 200)
        service.signal(SIGTERM)
        #expect(service.waitForExit(timeout: 15) == 0)
        #expect(service.events("start").count == 1)
        #expect(service.events("signal").first?["signal"] as? String == "SIGTERM")
        #expect(service.events("drained").count == 1)
        #expect(service.events("exit").first?["status"] as? Int == 0)
        let request = try #require(service.events("request").first)
        for field in ["time", "level", "method", "path", "status", "bytes", "duration_us", "client_ip", "peer_ip", "user_agent", "request_id"] {
            #expect(request[field] != nil, "\(field)")
        }
    }

    @Test func sigintDrainsToo() throws {
        let service = try ServiceProcess.start()
        service.signal(SIGINT)
        #expect(service.waitForExit(timeout: 15) == 0)
        #expect(service.events("signal").first?["signal"] as? String == "SIGINT")
    }

    @Test func theShutdownTimeoutBoundsTheDrain() throws {
        let service = try ServiceProcess.start(environment: ["SHUTDOWN_TIMEOUT": "1", "HEADER_TIMEOUT": "60"])
        let stalled = try service.connect()
        try stalled.send("GET / HTTP/1.1\r\n")  // a request that never finishes
        usleep(100_000)
        service.signal(SIGTERM)
        #expect(service.waitForExit(timeout: 15) == 0)
        #expect(service.events("shutdown_timeout").first?["open_connections"] as? Int == 1)
    }

    @Test func aSecondSignalExitsAtOnce() throws {
        let service = try ServiceProcess.start(environment: ["SHUTDOWN_TIMEOUT": "60", "HEADER_TIMEOUT": "60"])
        let stalled = try service.connect()
        try stalled.send("GET / HTTP/1.1\r\n")
        usleep(100_000)
        service.signal(SIGTERM)
        usleep(200_000)
        service.signal(SIGTERM)
        #expect(service.waitForExit(timeout: 15) == 128 + SIGTERM)
        #expect(service.events("forced_exit").count == 1)
    }

    @Test func textLogFormat() throws {
        let service = try ServiceProcess.start(environment: ["LOG_FORMAT": "text", "ACCESS_LOG": "on"])
        #expect(try service.get("/").status == 200)
        service.signal(SIGTERM)
        #expect(service.waitForExit(timeout: 15) == 0)
        #expect(service.standardOutput.contains(" info request method=\"GET\" path=\"/\" status=200 "))
    }

    @Test func accessLogOff() throws {
        let service = try ServiceProcess.start(environment: ["ACCESS_LOG": "off"])
        #expect(try service.get("/").status == 200)
        service.signal(SIGTERM)
        #expect(service.waitForExit(timeout: 15) == 0)
        #expect(service.events("request").isEmpty)
        #expect(service.events("exit").count == 1)
    }
}
