import HTTPServer

/// Request counters and the request-duration histogram of one event loop. Only its loop writes
/// them (plain relaxed stores, no contention); a scrape on any loop sums every loop's shard.
public final class RequestMetrics: Sendable {
    /// Upper bounds of the duration histogram's buckets, in nanoseconds. The service answers in
    /// microseconds; the upper buckets exist to show trouble (a stalled loop), not normal work.
    public static let bucketBounds: [Int64] = [
        100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000,
    ]
    static let statusCount = HTTPStatus.allCases.count

    /// [route * statusCount + status]
    let requests = AtomicCounterArray(count: Route.allCases.count * HTTPStatus.allCases.count)
    /// [bucket...] then +Inf, then the sum in nanoseconds, then the count.
    let durations = AtomicCounterArray(count: RequestMetrics.bucketBounds.count + 3)

    public init() {}

    public func record(route: Route, status: HTTPStatus, durationNanoseconds: Int64) {
        requests.addFromOwner(1, at: route.rawValue * Self.statusCount + Int(status.rawValue))
        var bucket = 0
        while bucket < Self.bucketBounds.count, durationNanoseconds > Self.bucketBounds[bucket] { bucket += 1 }
        durations.addFromOwner(1, at: bucket)
        durations.addFromOwner(Int(durationNanoseconds), at: Self.bucketBounds.count + 1)
        durations.addFromOwner(1, at: Self.bucketBounds.count + 2)
    }

    public func requests(route: Route, status: HTTPStatus) -> Int {
        requests.load(at: route.rawValue * Self.statusCount + Int(status.rawValue))
    }

    /// Requests in bucket `index` (not cumulative); `bucketBounds.count` is the +Inf bucket.
    func bucketCount(_ index: Int) -> Int { durations.load(at: index) }
    var durationSumNanoseconds: Int { durations.load(at: Self.bucketBounds.count + 1) }
    var durationCount: Int { durations.load(at: Self.bucketBounds.count + 2) }
}
