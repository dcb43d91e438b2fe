import Testing

@testable import HTTPServer

@Suite("Byte buffer and dates")
struct ByteBufferTests {
    func text(_ buffer: borrowing ByteBuffer) -> String {
        String(decoding: buffer.readableBytes, as: UTF8.self)
    }

    @Test func appendsAndGrows() {
        var buffer = ByteBuffer(capacity: 4)
        buffer.append("hello, ")
        buffer.appendDecimal(0)
        buffer.append(UInt8(ascii: " "))
        buffer.appendDecimal(9_876_543_210)
        buffer.append(address: IPAddress("2001:db8::1")!)
        #expect(text(buffer) == "hello, 0 98765432102001:db8::1")
        buffer.removeAll()
        let empty = buffer.isEmpty
        #expect(empty)
    }

    @Test("civil dates", arguments: [
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int64(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT"),  // RFC 9110's example
        (Int64(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT"),
        (Int64(4_107_542_399), "Sun, 28 Feb 2100 23:59:59 GMT"),  // 2100 is not a leap year
        (Int64(4_133_980_799), "Fri, 31 Dec 2100 23:59:59 GMT"),
        (Int64(1_796_396_400), "Fri, 04 Dec 2026 15:00:00 GMT"),
    ])
    func httpDate(_ seconds: Int64, _ expected: String) {
        var cache = HTTPDateCache()
        let line = String(decoding: cache.headerLine(forSecond: seconds), as: UTF8.self)
        #expect(line == "Date: \(expected)\r\n")
    }

    @Test func dateCacheFollowsTheClock() {
        var cache = HTTPDateCache()
        let first = String(decoding: cache.headerLine(forSecond: 0), as: UTF8.self)
        let second = String(decoding: cache.headerLine(forSecond: 1), as: UTF8.self)
        #expect(first != second)
        #expect(second.hasSuffix("00:00:01 GMT\r\n"))
    }
}
