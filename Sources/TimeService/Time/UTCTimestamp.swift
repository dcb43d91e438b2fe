import HTTPServer

/// RFC 3339 UTC timestamps with milliseconds: `2026-12-04T15:00:00.123Z`, always 24 bytes.
public enum UTCTimestamp {
    public static let length = 24

    /// Writes the timestamp of `time` into `destination` (at least `length` bytes).
    public static func format(_ time: WallClockTime, into destination: UnsafeMutableRawPointer) {
        let date = CivilDateTime(secondsSinceEpoch: time.seconds)
        let millisecond = Int(time.milliseconds - time.seconds * 1000)
        var position = 0
        func digits(_ value: Int, count: Int) {
            var remaining = value
            for offset in stride(from: count - 1, through: 0, by: -1) {
                destination.storeBytes(of: UInt8(0x30 + remaining % 10), toByteOffset: position + offset, as: UInt8.self)
                remaining /= 10
            }
            position += count
        }
        func separator(_ character: Unicode.Scalar) {
            destination.storeBytes(of: UInt8(ascii: character), toByteOffset: position, as: UInt8.self)
            position += 1
        }
        digits(date.year, count: 4)
        separator("-")
        digits(date.month, count: 2)
        separator("-")
        digits(date.day, count: 2)
        separator("T")
        digits(date.hour, count: 2)
        separator(":")
        digits(date.minute, count: 2)
        separator(":")
        digits(date.second, count: 2)
        separator(".")
        digits(millisecond, count: 3)
        separator("Z")
    }

    public static func string(_ time: WallClockTime) -> String {
        String(unsafeUninitializedCapacity: length) { buffer in
            format(time, into: UnsafeMutableRawPointer(buffer.baseAddress!))
            return length
        }
    }
}
