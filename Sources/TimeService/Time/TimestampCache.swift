import HTTPServer

/// The current timestamp's text, formatted at most once per millisecond: at tens of thousands
/// of requests a second, most requests share their millisecond with the one before.
public struct TimestampCache: ~Copyable {
    private let text: UnsafeMutableRawPointer
    private var cachedMillisecond: Int64 = .min

    public init() {
        text = .allocate(byteCount: UTCTimestamp.length, alignment: 8)
    }

    deinit {
        text.deallocate()
    }

    /// The RFC 3339 text of `time`, valid until the next call.
    public mutating func text(for time: WallClockTime) -> UnsafeRawBufferPointer {
        if time.milliseconds != cachedMillisecond {
            cachedMillisecond = time.milliseconds
            UTCTimestamp.format(time, into: text)
        }
        return UnsafeRawBufferPointer(start: text, count: UTCTimestamp.length)
    }
}
