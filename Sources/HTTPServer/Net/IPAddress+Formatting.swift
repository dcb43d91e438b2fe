extension IPAddress: CustomStringConvertible {
    /// Dotted-quad IPv4, or IPv6 in the canonical form of RFC 5952.
    public var description: String {
        String(unsafeUninitializedCapacity: Self.maxTextLength) { buffer in
            format(into: UnsafeMutableRawPointer(buffer.baseAddress!))
        }
    }

    /// Writes the text form into `destination`, which must hold `maxTextLength` bytes, and
    /// returns its length. Allocation-free: it runs for every request.
    @inlinable
    public func format(into destination: UnsafeMutableRawPointer) -> Int {
        switch self {
        case .v4(let value):
            var length = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                if shift != 24 {
                    destination.storeBytes(of: UInt8(ascii: "."), toByteOffset: length, as: UInt8.self)
                    length += 1
                }
                length += Self.writeDecimal(UInt8(truncatingIfNeeded: value >> UInt32(shift)), to: destination + length)
            }
            return length
        case .v6(let high, let low):
            return Self.formatIPv6(high: high, low: low, into: destination)
        }
    }

    @inlinable
    static func writeDecimal(_ value: UInt8, to destination: UnsafeMutableRawPointer) -> Int {
        if value >= 100 {
            destination.storeBytes(of: 0x30 + value / 100, as: UInt8.self)
            destination.storeBytes(of: 0x30 + value / 10 % 10, toByteOffset: 1, as: UInt8.self)
            destination.storeBytes(of: 0x30 + value % 10, toByteOffset: 2, as: UInt8.self)
            return 3
        }
        if value >= 10 {
            destination.storeBytes(of: 0x30 + value / 10, as: UInt8.self)
            destination.storeBytes(of: 0x30 + value % 10, toByteOffset: 1, as: UInt8.self)
            return 2
        }
        destination.storeBytes(of: 0x30 + value, as: UInt8.self)
        return 1
    }

    /// RFC 5952 §4: lower-case hex without leading zeros; the longest run of two or more zero
    /// groups (the first, on a tie) becomes "::".
    @inlinable
    static func formatIPv6(high: UInt64, low: UInt64, into destination: UnsafeMutableRawPointer) -> Int {
        @inline(__always) func group(_ index: Int) -> UInt16 {
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> UInt64((3 - index % 4) * 16))
        }
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for index in 0..<8 {
            if group(index) == 0 {
                if runStart < 0 { runStart = index }
                let runLength = index - runStart + 1
                if runLength > bestLength {
                    bestStart = runStart
                    bestLength = runLength
                }
            } else {
                runStart = -1
            }
        }
        let hexDigits: StaticString = "0123456789abcdef"
        var length = 0
        var index = 0
        while index < 8 {
            if index == bestStart {
                destination.storeBytes(of: UInt8(ascii: ":"), toByteOffset: length, as: UInt8.self)
                destination.storeBytes(of: UInt8(ascii: ":"), toByteOffset: length + 1, as: UInt8.self)
                length += 2
                index += bestLength
                continue
            }
            if index > 0, index != bestStart + bestLength || bestStart < 0 {
                destination.storeBytes(of: UInt8(ascii: ":"), toByteOffset: length, as: UInt8.self)
                length += 1
            }
            let value = group(index)
            var started = false
            for shift in stride(from: 12, through: 0, by: -4) {
                let nibble = Int((value >> UInt16(shift)) & 0xf)
                if nibble != 0 || started || shift == 0 {
                    destination.storeBytes(of: hexDigits.utf8Start[nibble], toByteOffset: length, as: UInt8.self)
                    length += 1
                    started = true
                }
            }
            index += 1
        }
        return length
    }
}
