import HTTPServer
import Testing

@testable import TimeService

@Suite("Timestamps, ids and escaping")
struct FormattingTests {
    @Test("RFC 3339 with milliseconds", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(1_796_396_400_123), "2026-12-04T15:00:00.123Z"),
        (Int64(951_825_599_999), "2000-02-29T11:59:59.999Z"),
        (Int64(253_402_300_799_001), "9999-12-31T23:59:59.001Z"),
    ])
    func timestamp(_ milliseconds: Int64, _ expected: String) {
        #expect(UTCTimestamp.string(WallClockTime(milliseconds: milliseconds)) == expected)
        var cache = TimestampCache()
        #expect(String(decoding: cache.text(for: WallClockTime(milliseconds: milliseconds)), as: UTF8.self) == expected)
    }

    @Test func timestampCacheChangesEveryMillisecond() {
        var cache = TimestampCache()
        let first = String(decoding: cache.text(for: WallClockTime(milliseconds: 1_000)), as: UTF8.self)
        let again = String(decoding: cache.text(for: WallClockTime(milliseconds: 1_000)), as: UTF8.self)
        let next = String(decoding: cache.text(for: WallClockTime(milliseconds: 1_001)), as: UTF8.self)
        #expect(first == again)
        #expect(next == "1970-01-01T00:00:01.001Z")
    }

    @Test func requestIDsCountInHex() {
        var generator = RequestIDGenerator(loopIndex: 0x1f, processNonce: 0xdead_beef)
        var ids: [String] = []
        for _ in 0..<17 { ids.append(String(decoding: generator.next(), as: UTF8.self)) }
        #expect(ids[0] == "deadbeef1f0000000001")
        #expect(ids[8] == "deadbeef1f0000000009")
        #expect(ids[9] == "deadbeef1f000000000a")
        #expect(ids[15] == "deadbeef1f0000000010")
        #expect(Set(ids).count == ids.count)
    }

    @Test("safe request ids", arguments: [
        ("abc-123", true), ("1-67891233-abcdef012345678912345678", true), ("a.b_c:d", true),
        ("", false), ("a b", false), ("a\"b", false), ("<x>", false), (String(repeating: "a", count: 129), false),
        (String(repeating: "a", count: 128), true),
    ])
    func safeIDs(_ value: String, _ safe: Bool) {
        #expect(Array(value.utf8).withUnsafeBytes { RequestIDGenerator.isSafe($0) } == safe)
    }

    @Test func jsonEscaping() {
        var buffer = ByteBuffer(capacity: 8)
        let input: [UInt8] = Array("q\"b\\n\n\t".utf8) + [0x01, 0xe9, 0x7f]
        input.withUnsafeBytes { JSONString.appendEscaped($0, to: &buffer) }
        #expect(String(decoding: buffer.readableBytes, as: UTF8.self) == #"q\"b\\n\n\t\u0001\u00e9\u007f"#)
        buffer.removeAll()
        Array("abcdef".utf8).withUnsafeBytes { JSONString.appendEscaped($0, limit: 3, to: &buffer) }
        #expect(String(decoding: buffer.readableBytes, as: UTF8.self) == "abc")
    }

    @Test("routes", arguments: [
        ("/", Route.root), ("", .root), ("/healthz", .healthz), ("/readyz", .readyz), ("/metrics", .metrics),
        ("/healthz/", .unmatched), ("/HEALTHZ", .unmatched), ("//", .unmatched), ("/index.html", .unmatched), ("*", .unmatched),
    ])
    func routes(_ path: String, _ route: Route) {
        #expect(Array(path.utf8).withUnsafeBytes { Route(path: $0) } == route)
    }
}
