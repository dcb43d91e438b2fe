#if canImport(Glibc)
import Glibc
#endif

/// A point in UTC, in milliseconds since the Unix epoch.
public struct WallClockTime: Comparable, Hashable, Sendable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public var seconds: Int64 {
        milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
    }

    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }

    #if canImport(Glibc)
    /// Now, from CLOCK_REALTIME (a vDSO call: no system call).
    public static func now() -> WallClockTime {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return WallClockTime(milliseconds: Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000)
    }
    #endif
}
