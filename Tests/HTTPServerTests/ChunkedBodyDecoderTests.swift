import Testing

@testable import HTTPServer

struct ChunkedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    /// nil: the body is complete and ends exactly at its last byte; else the expected error.
    let error: HTTPParseError?
    var testDescription: String { name }
}

let chunkedCases: [ChunkedCase] = [
    ChunkedCase(name: "one chunk", body: "5\r\nhello\r\n0\r\n\r\n", error: nil),
    ChunkedCase(name: "several chunks, hex sizes", body: "a\r\n0123456789\r\nA\r\n0123456789\r\n1\r\n!\r\n0\r\n\r\n", error: nil),
    ChunkedCase(name: "empty body", body: "0\r\n\r\n", error: nil),
    ChunkedCase(name: "extensions", body: "5;name=value;flag\r\nhello\r\n0;last\r\n\r\n", error: nil),
    ChunkedCase(name: "trailer fields", body: "5\r\nhello\r\n0\r\nChecksum: abc\r\nX-More: 1\r\n\r\n", error: nil),
    ChunkedCase(name: "leading zeros in size", body: "0005\r\nhello\r\n000\r\n\r\n", error: nil),
    ChunkedCase(name: "size not hex", body: "g\r\nhello\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "missing size", body: "\r\nhello\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "negative size", body: "-5\r\nhello\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "bare LF after size", body: "5\nhello\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "data longer than its size", body: "5\r\nhello!\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "bare LF after data", body: "5\r\nhello\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "control character in an extension", body: "5;a=\u{1}\r\nhello\r\n0\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "malformed trailer", body: "0\r\n: no name\r\n\r\n", error: .invalidChunkedBody),
    ChunkedCase(name: "size overflow", body: "1000000000000000\r\n", error: .contentTooLarge),
    ChunkedCase(name: "over the body limit", body: "10001\r\n", error: .contentTooLarge),
    ChunkedCase(name: "over the limit in sum", body: "8000\r\n" + String(repeating: "x", count: 0x8000) + "\r\n8001\r\n", error: .contentTooLarge),
    ChunkedCase(
        name: "endless extension", body: "1;" + String(repeating: "e", count: ChunkedBodyDecoder.maxMetadataLength + 1),
        error: .headerSectionTooLarge),
]

@Suite("Chunked body decoder")
struct ChunkedBodyDecoderTests {
    func run(_ body: [UInt8], pieces: [Range<Int>]) -> (consumed: Int, outcome: ChunkedBodyDecoder.Outcome) {
        var decoder = ChunkedBodyDecoder(maxBodyLength: 65536)
        var consumed = 0
        for piece in pieces {
            let (used, outcome) = body.withUnsafeBytes { decoder.consume(UnsafeRawBufferPointer(rebasing: $0[piece])) }
            consumed += used
            if outcome != .needMore { return (consumed, outcome) }
        }
        return (consumed, .needMore)
    }

    @Test("whole, at every split, and byte by byte", arguments: chunkedCases)
    func decode(_ testCase: ChunkedCase) {
        let body = Array(testCase.body.utf8)
        let expected: ChunkedBodyDecoder.Outcome = testCase.error.map { .invalid($0) } ?? .done
        let step = body.count > 2048 ? 89 : 1
        var partitions: [[Range<Int>]] = [[0..<body.count]]
        for split in stride(from: 1, to: body.count, by: step) {
            partitions.append([0..<split, split..<body.count])
        }
        partitions.append((0..<body.count).map { $0..<($0 + 1) })
        for pieces in partitions {
            let (consumed, outcome) = run(body, pieces: pieces)
            #expect(outcome == expected, "pieces \(pieces.count): \(pieces.first!)")
            if testCase.error == nil { #expect(consumed == body.count) }
        }
    }

    @Test func stopsAtTheEndOfTheBody() {
        let bytes = Array("3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\n".utf8)
        var decoder = ChunkedBodyDecoder(maxBodyLength: 100)
        let (consumed, outcome) = bytes.withUnsafeBytes { decoder.consume($0) }
        #expect(outcome == .done)
        #expect(consumed == 13)
    }

    @Test func incompleteBodyNeedsMore() {
        var decoder = ChunkedBodyDecoder(maxBodyLength: 100)
        let (consumed, outcome) = Array("5\r\nhel".utf8).withUnsafeBytes { decoder.consume($0) }
        #expect(outcome == .needMore)
        #expect(consumed == 6)
    }
}
