#if canImport(Glibc)
import Glibc
#endif

/// A point on the monotonic clock, in milliseconds. Millisecond resolution is all the timeouts
/// need, and it is epoll_wait's resolution.
public struct MonotonicTime: Comparable, Hashable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public static func < (lhs: MonotonicTime, rhs: MonotonicTime) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    public static func + (lhs: MonotonicTime, milliseconds: Int64) -> MonotonicTime {
        MonotonicTime(milliseconds: lhs.milliseconds &+ milliseconds)
    }

    /// The far future: a deadline that never passes.
    public static let never = MonotonicTime(milliseconds: .max)

    #if canImport(Glibc)
    /// Now, from CLOCK_MONOTONIC (a vDSO call: no system call).
    public static func now() -> MonotonicTime {
        MonotonicTime(milliseconds: nowNanoseconds() / 1_000_000)
    }

    /// The same clock in nanoseconds, for measuring durations.
    public static func nowNanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
    #endif
}
