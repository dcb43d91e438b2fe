extension UnsafeRawBufferPointer {
    /// Calls `body` with each non-empty element of a comma-separated list (RFC 9110 §5.6.1), with
    /// surrounding whitespace removed, until `body` returns false.
    @inlinable
    func forEachListElement(_ body: (UnsafeRawBufferPointer) -> Bool) {
        var start = 0
        while start <= count {
            var end = start
            while end < count, self[end] != .comma { end += 1 }
            var elementStart = start
            var elementEnd = end
            while elementStart < elementEnd, self[elementStart] == .space || self[elementStart] == .tab {
                elementStart += 1
            }
            while elementEnd > elementStart, self[elementEnd - 1] == .space || self[elementEnd - 1] == .tab {
                elementEnd -= 1
            }
            if elementEnd > elementStart {
                guard body(UnsafeRawBufferPointer(rebasing: self[elementStart..<elementEnd])) else { return }
            }
            start = end + 1
        }
    }
}
