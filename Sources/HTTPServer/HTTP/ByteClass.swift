/// Character classes from RFC 9110 §5.6.2 and RFC 3986, as bit tests on two 64-bit masks, so the
/// parser's inner loops touch no lookup tables and no lazily initialised globals.
@usableFromInline
enum ByteClass {
    // Bits set for tchar: "!#$%&'*+-.^_`|~", DIGIT, ALPHA.
    @usableFromInline static let tokenLow: UInt64 = 0x03ff_6cfa_0000_0000
    @usableFromInline static let tokenHigh: UInt64 = 0x57ff_ffff_c7ff_fffe
    // Bits set for the characters of a Host value: unreserved, pct-encoded, sub-delims, ":", "[", "]".
    @usableFromInline static let hostLow: UInt64 = 0x2fff_7ff2_0000_0000
    @usableFromInline static let hostHigh: UInt64 = 0x47ff_fffe_afff_fffe

    @inlinable @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        test(byte, low: tokenLow, high: tokenHigh)
    }

    @inlinable @inline(__always)
    static func isHostCharacter(_ byte: UInt8) -> Bool {
        test(byte, low: hostLow, high: hostHigh)
    }

    /// field-vchar / SP / HTAB / obs-text: everything but the controls and DEL.
    @inlinable @inline(__always)
    static func isFieldValueCharacter(_ byte: UInt8) -> Bool {
        (byte >= 0x20 && byte != 0x7F) || byte == .tab
    }

    /// Request targets are visible ASCII only (RFC 3986 characters plus a few that clients leave
    /// unencoded); controls, spaces and non-ASCII bytes are rejected.
    @inlinable @inline(__always)
    static func isTargetCharacter(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F
    }

    @inlinable @inline(__always)
    static func test(_ byte: UInt8, low: UInt64, high: UInt64) -> Bool {
        if byte < 64 { return (low &>> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (high &>> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }
}
