import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real service binary, started on a free port for one test.
///
/// The binary is `$SIMPLE_TIME_SERVICE_BINARY`, or the release build in `.build/release`
/// (`swift build -c release`): integration tests exercise what ships, not a debug build.
public final class ServiceProcess: Sendable {
    public let process: Process
    public let port: UInt16
    private let output: OutputCollector

    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["SIMPLE_TIME_SERVICE_BINARY"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".build/release/simple-time-service").path
    }

    /// Runs the binary to completion (for invocations that exit at once).
    public static func run(arguments: [String], environment: [String: String] = [:], timeout: Double = 10) throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        let result = try ChildProcess.run(try checkedBinaryPath(), arguments: arguments, environment: environment, timeout: timeout)
        return (result.status, result.stdout, result.stderr)
    }

    static func checkedBinaryPath() throws -> String {
        let path = binaryPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("no service binary at \(path): run `swift build -c release` or set SIMPLE_TIME_SERVICE_BINARY")
        }
        return path
    }

    /// Starts the service (PORT=0 unless given) and waits until it listens.
    public static func start(environment: [String: String] = [:], arguments: [String] = []) throws -> ServiceProcess {
        var environment = environment
        if environment["PORT"] == nil { environment["PORT"] = "0" }
        if environment["THREADS"] == nil { environment["THREADS"] = "2" }
        let (process, standardOutput, standardError) = try ChildProcess.launch(
            try checkedBinaryPath(), arguments: arguments, environment: environment)
        // The readers hold only the collector, never the ServiceProcess, so the ServiceProcess
        // is released (and the process killed) when the test lets go of it.
        let output = OutputCollector()
        output.collect(standardOutput, isStandardError: false)
        output.collect(standardError, isStandardError: true)

        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let port = Self.listeningPort(in: output) {
                return ServiceProcess(process: process, port: port, output: output)
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("service did not start: stdout \(output.standardOutput.debugDescription) stderr \(output.standardError.debugDescription)")
    }

    private init(process: Process, port: UInt16, output: OutputCollector) {
        self.process = process
        self.port = port
        self.output = output
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    public var standardOutput: String { output.standardOutput }
    public var standardError: String { output.standardError }

    /// The port from the `listening` log line, in either log format.
    private static func listeningPort(in output: OutputCollector) -> UInt16? {
        if let listening = events("listening", in: output.standardOutput).first, let port = listening["port"] as? Int {
            return UInt16(port)
        }
        let text = #/ info listening address="[^"]*" port=(\d+)/#
        return output.standardOutput.firstMatch(of: text).flatMap { UInt16($0.output.1) }
    }

    /// The JSON log lines with the given event name.
    public func events(_ name: String) -> [[String: Any]] {
        Self.events(name, in: standardOutput)
    }

    static func events(_ name: String, in text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == name
            else { return nil }
            return object
        }
    }

    public var processIdentifier: Int32 { process.processIdentifier }

    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit and for its output to be read to the end; its status, or
    /// nil on timeout.
    public func waitForExit(timeout: Double) -> Int32? {
        guard ChildProcess.waitForExit(process, timeout: timeout) else { return nil }
        output.waitUntilFinished(timeout: 5)
        return process.terminationStatus
    }

    /// Sends one request on a new connection and reads the response.
    public func request(_ text: String, host: String = "127.0.0.1") throws -> HTTPResponseMessage {
        let connection = try RawConnection(host: host, port: port)
        try connection.send(text)
        return try connection.readResponse(forHead: text.hasPrefix("HEAD "))
    }

    public func get(_ path: String, headers: String = "") throws -> HTTPResponseMessage {
        try request("GET \(path) HTTP/1.1\r\nHost: test\r\n\(headers)Connection: close\r\n\r\n")
    }

    public func connect(host: String = "127.0.0.1") throws -> RawConnection {
        try RawConnection(host: host, port: port)
    }
}
