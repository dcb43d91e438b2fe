/// The `Date` header line (RFC 9110 §6.6.1, IMF-fixdate), formatted once per second rather than
/// once per response. One per event loop.
public struct HTTPDateCache: ~Copyable {
    private var line = ByteBuffer(capacity: 64)
    private var cachedSecond: Int64 = .min

    public init() {}

    /// `Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n` for the given second.
    public mutating func headerLine(forSecond second: Int64) -> UnsafeRawBufferPointer {
        if second != cachedSecond {
            cachedSecond = second
            line.removeAll()
            Self.write(CivilDateTime(secondsSinceEpoch: second), into: &line)
        }
        return line.readableBytes
    }

    static func write(_ date: CivilDateTime, into line: inout ByteBuffer) {
        let weekdays: StaticString = "SunMonTueWedThuFriSat"
        let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        line.append("Date: ")
        line.append(UnsafeRawBufferPointer(start: weekdays.utf8Start + date.weekday * 3, count: 3))
        line.append(", ")
        appendTwoDigits(date.day, to: &line)
        line.append(UInt8(ascii: " "))
        line.append(UnsafeRawBufferPointer(start: months.utf8Start + (date.month - 1) * 3, count: 3))
        line.append(UInt8(ascii: " "))
        appendTwoDigits(date.year / 100 % 100, to: &line)
        appendTwoDigits(date.year % 100, to: &line)
        line.append(UInt8(ascii: " "))
        appendTwoDigits(date.hour, to: &line)
        line.append(UInt8(ascii: ":"))
        appendTwoDigits(date.minute, to: &line)
        line.append(UInt8(ascii: ":"))
        appendTwoDigits(date.second, to: &line)
        line.append(" GMT\r\n")
    }

    static func appendTwoDigits(_ value: Int, to line: inout ByteBuffer) {
        line.append(UInt8(0x30 + value / 10))
        line.append(UInt8(0x30 + value % 10))
    }
}
