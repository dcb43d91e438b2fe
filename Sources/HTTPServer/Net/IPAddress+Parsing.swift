extension IPAddress {
    /// Parses dotted-quad IPv4 or RFC 4291 IPv6 text. Strict: no leading zeros in IPv4 octets
    /// (`010.0.0.1` is octal to some parsers and decimal to others), no zone identifiers, no
    /// surrounding whitespace.
    public init?(_ text: String) {
        var text = text
        guard let address = text.withUTF8({ IPAddress.parse(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = address
    }

    /// Parses an address from raw bytes, as they come in a header field.
    @inlinable
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        guard !bytes.isEmpty, bytes.count <= 45 else { return nil }
        for byte in bytes where byte == .colon {
            return parseIPv6(bytes)
        }
        return parseIPv4(bytes).map { .v4($0) }
    }

    @inlinable
    static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            } else if byte >= 0x30, byte <= 0x39 {
                guard !(digits == 1 && octet == 0) else { return nil }  // leading zero
                octet = octet * 10 + UInt32(byte - 0x30)
                digits += 1
                guard digits <= 3, octet <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return value << 8 | octet
    }

    @inlinable
    static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var compressionAt = -1
        var index = 0
        let end = bytes.count

        func store(_ value: UInt16) {
            withUnsafeMutableBytes(of: &groups) { $0.storeBytes(of: value, toByteOffset: count * 2, as: UInt16.self) }
            count += 1
        }

        if end >= 2, bytes[0] == .colon {
            guard bytes[1] == .colon else { return nil }
            compressionAt = 0
            index = 2
        }
        while index < end {
            guard count < 8 else { return nil }
            let groupStart = index
            var value: UInt32 = 0
            while index < end, let digit = bytes[index].hexDigitValue {
                value = value << 4 | UInt32(digit)
                index += 1
                guard index - groupStart <= 4 else { return nil }
            }
            if index < end, bytes[index] == UInt8(ascii: ".") {
                // Trailing dotted IPv4, taking the last two groups.
                guard count <= 6, let ipv4 = parseIPv4(UnsafeRawBufferPointer(rebasing: bytes[groupStart..<end])) else {
                    return nil
                }
                store(UInt16(truncatingIfNeeded: ipv4 >> 16))
                store(UInt16(truncatingIfNeeded: ipv4))
                index = end
                break
            }
            guard index > groupStart else { return nil }
            store(UInt16(value))
            if index == end { break }
            guard bytes[index] == .colon, index + 1 < end else { return nil }
            index += 1
            if bytes[index] == .colon {
                guard compressionAt < 0 else { return nil }
                compressionAt = count
                index += 1
            }
        }
        if compressionAt >= 0 {
            guard count < 8 else { return nil }
        } else {
            guard count == 8 else { return nil }
        }

        var high: UInt64 = 0
        var low: UInt64 = 0
        withUnsafeBytes(of: &groups) { parsed in
            let tail = compressionAt < 0 ? 0 : count - compressionAt
            for position in 0..<8 {
                let source: Int
                if compressionAt < 0 || position < compressionAt {
                    source = position
                } else if position >= 8 - tail {
                    source = compressionAt + position - (8 - tail)
                } else {
                    source = -1
                }
                let value = source < 0 ? 0 : parsed.load(fromByteOffset: source * 2, as: UInt16.self)
                if position < 4 {
                    high = high << 16 | UInt64(value)
                } else {
                    low = low << 16 | UInt64(value)
                }
            }
        }
        return .v6(high: high, low: low)
    }
}
