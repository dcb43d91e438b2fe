import Foundation

/// Reads a child process's standard output and error on threads of its own, until they end.
final class OutputCollector: @unchecked Sendable {
    // @unchecked: the three stored vars are only touched under `lock`.
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    /// Streams read to their end (both, once the process has exited and they drained).
    private var finishedStreams = 0

    func collect(_ handle: FileHandle, isStandardError: Bool) {
        Thread { [self] in
            while true {
                let data = handle.availableData
                lock.lock()
                defer { lock.unlock() }
                if data.isEmpty {
                    finishedStreams += 1
                    return
                }
                if isStandardError {
                    stderrText += String(decoding: data, as: UTF8.self)
                } else {
                    stdoutText += String(decoding: data, as: UTF8.self)
                }
            }
        }.start()
    }

    var standardOutput: String {
        lock.lock()
        defer { lock.unlock() }
        return stdoutText
    }

    var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    /// Waits until both streams reached their end, at most `timeout` seconds.
    func waitUntilFinished(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            lock.lock()
            let finished = finishedStreams
            lock.unlock()
            if finished == 2 { return }
            usleep(2_000)
        }
    }
}
