/// Connection-level counters of the server, one shard per event loop (written only by its loop,
/// summed when scraped), plus the one gauge every loop shares: open connections, which
/// `MAX_CONNECTIONS` caps.
public final class ServerMetrics: Sendable {
    /// Per loop: [accepted, open, parse errors by `HTTPParseError.rawValue`...].
    private let shards: [AtomicCounterArray]
    private let shared = AtomicCounterArray(count: 1)

    static let acceptedIndex = 0
    static let openIndex = 1
    static let parseErrorBase = 2

    public init(loopCount: Int) {
        shards = (0..<loopCount).map { _ in
            AtomicCounterArray(count: Self.parseErrorBase + HTTPParseError.allCases.count)
        }
    }

    /// Connections open now, across all loops.
    public var openConnections: Int { shared.load(at: 0) }

    public var acceptedConnections: Int {
        shards.reduce(0) { $0 + $1.load(at: Self.acceptedIndex) }
    }

    public func parseErrors(_ error: HTTPParseError) -> Int {
        shards.reduce(0) { $0 + $1.load(at: Self.parseErrorBase + Int(error.rawValue)) }
    }

    func connectionAccepted(loop: Int) {
        shards[loop].addFromOwner(1, at: Self.acceptedIndex)
        shared.addShared(1, at: 0)
    }

    func connectionClosed(loop: Int) {
        shared.addShared(-1, at: 0)
    }

    func parseErrorSeen(_ error: HTTPParseError, loop: Int) {
        shards[loop].addFromOwner(1, at: Self.parseErrorBase + Int(error.rawValue))
    }
}
