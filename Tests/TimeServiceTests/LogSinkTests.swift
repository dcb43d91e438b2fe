import Glibc
import HTTPServer
import Synchronization
import Testing

@testable import TimeService

@Suite("Log sink")
struct LogSinkTests {
    @Test func dropsAndCountsInsteadOfBlockingWhenTheReaderStalls() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
        let sink = try LogSink(format: .json, level: .info, output: writeEnd, capacity: 4096)
        let line = Array((String(repeating: "x", count: 99) + "\n").utf8)
        let submitted = 5_000  // 500 KB: far more than the pipe (64 KiB) and the queue hold
        for _ in 0..<submitted {
            line.withUnsafeBytes { sink.submit($0, lines: 1) }
        }
        #expect(sink.droppedLines > 0)

        let received = Mutex(0)
        let reader = try OSThread.spawn(name: "test-reader") {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(readEnd, &chunk, chunk.count)
                guard count > 0 else { return }
                received.withLock { $0 += count }
            }
        }
        sink.shutdown()
        close(writeEnd)
        reader.join()
        close(readEnd)
        let linesWritten = received.withLock { $0 } / line.count
        #expect(received.withLock { $0 } % line.count == 0, "only whole lines are written")
        #expect(linesWritten + sink.droppedLines == submitted, "every line is written or counted as dropped")
    }

    @Test func eventsRespectTheLevel() throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let sink = try LogSink(format: .text, level: .warn, output: descriptors[1])
        sink.event(.info, "hidden")
        sink.event(.warn, "shown") { writer, line in writer.field(&line, "count", integer: -3) }
        sink.shutdown()
        close(descriptors[1])
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = read(descriptors[0], &chunk, chunk.count)
        close(descriptors[0])
        let text = String(decoding: chunk[..<max(0, count)], as: UTF8.self)
        #expect(!text.contains("hidden"))
        #expect(text.hasSuffix(" warn shown count=-3\n"))
    }
}
