extension UnsafeRawBufferPointer {
    /// Byte-exact comparison with an ASCII literal.
    @inlinable @inline(__always)
    public func matches(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<count where self[index] != expected[index] {
            return false
        }
        return true
    }

    /// ASCII case-insensitive comparison with a lowercase literal made of letters, digits and "-"
    /// (header names). Setting bit 5 lowercases letters and leaves digits and "-" unchanged; no
    /// other token character maps onto a letter, digit or "-".
    @inlinable @inline(__always)
    public func matchesLowercased(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for index in 0..<count where self[index] | 0x20 != expected[index] {
            return false
        }
        return true
    }

    @inlinable
    func containsLineFeed(in range: Range<Int>) -> Bool {
        for index in range where self[index] == .lineFeed { return true }
        return false
    }
}
