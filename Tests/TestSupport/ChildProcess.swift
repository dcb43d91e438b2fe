import Foundation

/// Runs programs the tests need (the service binary, curl) with their output captured.
public enum ChildProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Starts `executable` with both output streams on pipes.
    public static func launch(_ executable: String, arguments: [String], environment: [String: String]? = nil) throws
        -> (process: Process, stdout: FileHandle, stderr: FileHandle)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return (process, output.fileHandleForReading, error.fileHandleForReading)
    }

    /// Runs `executable` to completion and returns its status and output.
    public static func run(
        _ executable: String, arguments: [String], environment: [String: String]? = nil, timeout: Double = 10
    ) throws -> Result {
        let (process, output, error) = try launch(executable, arguments: arguments, environment: environment)
        let outputData = output.readDataToEndOfFile()
        let errorData = error.readDataToEndOfFile()
        guard waitForExit(process, timeout: timeout) else {
            process.terminate()
            throw TestFailure("\(executable) \(arguments) did not exit within \(timeout) s")
        }
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// Waits for `process` to exit, polling (Process.waitUntilExit can miss the exit of a child
    /// started from a test thread); false on timeout.
    public static func waitForExit(_ process: Process, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(5_000)
        }
        process.waitUntilExit()
        return true
    }
}
