import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real service binary, started on a free port for one test.
///
/// The binary is `$SIMPLE_TIME_SERVICE_BINARY`, or the release build in `.build/release`
/// (`swift build -c release`): integration tests exercise what ships, not a debug build.
public final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `stdoutText`, `stderrText` and `streamsFinished` are only touched under `lock`; the rest is
    // immutable after `start` returns.
    public let process: Process
    public private(set) var port: UInt16 = 0
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    /// Output streams read to their end (both, once the process has exited and they drained).
    private var streamsFinished = 0

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
        let (process, output, error) = try ChildProcess.launch(try checkedBinaryPath(), arguments: arguments, environment: environment)
        let service = ServiceProcess(process: process)
        service.collect(output, isStandardError: false)
        service.collect(error, isStandardError: true)

        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let port = service.listeningPort() {
                service.port = port
                return service
            }
            if !process.isRunning { break }
            usleep(10_000)
        }
        process.terminate()
        throw TestFailure("service did not start: stdout \(service.standardOutput.debugDescription) stderr \(service.standardError.debugDescription)")
    }

    private init(process: Process) {
        self.process = process
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func collect(_ handle: FileHandle, isStandardError: Bool) {
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty {
                    lock.lock()
                    streamsFinished += 1
                    lock.unlock()
                    return
                }
                lock.lock()
                if isStandardError {
                    stderrText += String(decoding: data, as: UTF8.self)
                } else {
                    stdoutText += String(decoding: data, as: UTF8.self)
                }
                lock.unlock()
            }
        }
        thread.start()
    }

    public var standardOutput: String {
        lock.lock()
        defer { lock.unlock() }
        return stdoutText
    }

    public var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    /// The port from the `listening` log line, in either log format.
    private func listeningPort() -> UInt16? {
        if let listening = events("listening").first, let port = listening["port"] as? Int { return UInt16(port) }
        let text = #/ info listening address="[^"]*" port=(\d+)/#
        return standardOutput.firstMatch(of: text).flatMap { UInt16($0.output.1) }
    }

    /// The JSON log lines with the given event name.
    public func events(_ name: String) -> [[String: Any]] {
        standardOutput.split(separator: "\n").compactMap { line in
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
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            lock.lock()
            let finished = streamsFinished
            lock.unlock()
            if finished == 2 { break }
            usleep(2_000)
        }
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
