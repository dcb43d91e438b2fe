import CSystemShims
import HTTPServer
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go: a bounded in-memory queue drained to stdout by a thread of its own.
///
/// The event loops never write to stdout themselves, so a slow log pipeline (a blocked pipe, a
/// throttled container runtime) cannot stall a request. When the queue is full, lines are dropped
/// and counted (`simple_time_service_log_lines_dropped_total`) rather than blocking.
public final class LogSink: Sendable {
    public let format: LogFormat
    public let level: LogLevel
    public let accessLogEnabled: Bool
    private let output: Int32
    private let capacity: Int
    private let wakeup: Int32
    private let queue = Mutex(Queue())
    private let dropped = Atomic<Int>(0)
    private let writer = Mutex<OSThread?>(nil)

    struct Queue {
        var bytes: [UInt8] = []
        var stopping = false
    }

    /// - Parameters:
    ///   - output: the descriptor written to (standard output by default).
    ///   - capacity: bytes queued at most before lines are dropped.
    public init(
        format: LogFormat, level: LogLevel, accessLogEnabled: Bool = true, output: Int32 = STDOUT_FILENO,
        capacity: Int = 1 << 20
    ) throws(SystemError) {
        self.format = format
        self.level = level
        self.accessLogEnabled = accessLogEnabled
        self.output = output
        self.capacity = capacity
        wakeup = try SystemCall.retrying("eventfd") { eventfd(0, Int32(EFD_CLOEXEC)) }
        let thread = try OSThread.spawn(name: "log-writer") { [self] in runWriter() }
        writer.withLock { $0 = thread }
    }

    deinit {
        SystemCall.close(wakeup)
    }

    /// Lines dropped because the queue was full.
    public var droppedLines: Int { dropped.load(ordering: .relaxed) }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    /// Queues complete lines (`lines` of them); drops them all if they do not fit.
    public func submit(_ bytes: UnsafeRawBufferPointer, lines: Int) {
        guard !bytes.isEmpty else { return }
        let wasEmpty = queue.withLock { queue -> Bool? in
            guard !queue.stopping, queue.bytes.count + bytes.count <= capacity else { return nil }
            let wasEmpty = queue.bytes.isEmpty
            queue.bytes.append(contentsOf: bytes.bindMemory(to: UInt8.self))
            return wasEmpty
        }
        switch wasEmpty {
        case nil: dropped.wrappingAdd(lines, ordering: .relaxed)
        case true?: signalWriter()
        case false?: break
        }
    }

    /// Writes one lifecycle event line (start, signal, drained, exit, ...).
    public func event(_ level: LogLevel, _ event: StaticString, _ fields: (LogLineWriter, inout ByteBuffer) -> Void = { _, _ in }) {
        guard isEnabled(level) else { return }
        var line = ByteBuffer(capacity: 512)
        let writer = LogLineWriter(format: format)
        writer.begin(&line, time: .now(), level: level, event: event)
        fields(writer, &line)
        writer.end(&line)
        submit(line.readableBytes, lines: 1)
    }

    /// Writes out everything queued and stops the writer thread. Later lines are dropped.
    public func shutdown() {
        queue.withLock { $0.stopping = true }
        signalWriter()
        let thread = writer.withLock { thread -> OSThread? in
            defer { thread = nil }
            return thread
        }
        thread?.join()
    }

    private func signalWriter() {
        var one: UInt64 = 1
        _ = write(wakeup, &one, MemoryLayout<UInt64>.size)
    }

    private func runWriter() {
        var batch: [UInt8] = []
        while true {
            var counter: UInt64 = 0
            _ = read(wakeup, &counter, MemoryLayout<UInt64>.size)
            let stopping = queue.withLock { queue -> Bool in
                swap(&batch, &queue.bytes)
                return queue.stopping
            }
            batch.withUnsafeBytes { writeFully($0) }
            batch.removeAll(keepingCapacity: true)
            if stopping { return }
        }
    }

    private func writeFully(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = write(output, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else if written < 0, errno == EAGAIN {
                var descriptor = pollfd(fd: output, events: Int16(POLLOUT), revents: 0)
                _ = poll(&descriptor, 1, 1000)
            } else {
                return  // stdout is gone; nothing sensible is left to do with log lines
            }
        }
    }
}
