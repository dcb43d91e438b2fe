import HTTPServer

extension UnsafeRawBufferPointer {
    /// Calls `body` with each element of a comma-separated list, last first, trimmed of
    /// whitespace; empty elements are passed too (they are not addresses, so they end a walk).
    func forEachListElementFromLast(_ body: (UnsafeRawBufferPointer) -> Bool) {
        var end = count
        while end >= 0 {
            var start = end
            while start > 0, self[start - 1] != UInt8(ascii: ",") { start -= 1 }
            var elementStart = start
            var elementEnd = end
            while elementStart < elementEnd, self[elementStart] == 0x20 || self[elementStart] == 0x09 { elementStart += 1 }
            while elementEnd > elementStart, self[elementEnd - 1] == 0x20 || self[elementEnd - 1] == 0x09 { elementEnd -= 1 }
            guard body(UnsafeRawBufferPointer(rebasing: self[elementStart..<elementEnd])) else { return }
            end = start - 1
        }
    }
}
