import Foundation
import Testing

/// The fuzzer starts from the parser's table cases (Fuzz/corpus). This keeps the two in step:
/// run with UPDATE_FUZZ_SEEDS=1 to write the seeds of new cases.
@Suite("Fuzz seed corpus")
struct FuzzSeedCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    static func fileName(for testCase: ParserCase) -> String {
        let slug = testCase.name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return "request-" + String(slug)
    }

    @Test("every parser table case is a seed", arguments: validRequests + invalidRequests)
    func seed(_ testCase: ParserCase) throws {
        let file = Self.corpus.appendingPathComponent(Self.fileName(for: testCase))
        if ProcessInfo.processInfo.environment["UPDATE_FUZZ_SEEDS"] == "1" {
            try FileManager.default.createDirectory(at: Self.corpus, withIntermediateDirectories: true)
            try Data(testCase.bytes).write(to: file)
        }
        let stored = try Data(contentsOf: file)
        #expect(Array(stored) == testCase.bytes, "\(file.lastPathComponent) differs from the table case")
    }
}
