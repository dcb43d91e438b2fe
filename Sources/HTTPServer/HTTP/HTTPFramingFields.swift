/// The fields that decide how a request is framed and whether its connection stays open,
/// interpreted while the parser walks the field lines (RFC 9112 §6 and §9, RFC 9110 §7.2).
@usableFromInline
struct FramingFields {
    @usableFromInline var hostCount = 0
    @usableFromInline var contentLength: Int?
    @usableFromInline var contentLengthTooLarge = false
    @usableFromInline var sawTransferEncoding = false
    @usableFromInline var chunkedCount = 0
    @usableFromInline var lastCodingIsChunked = false
    @usableFromInline var connectionClose = false
    @usableFromInline var connectionKeepAlive = false
    @usableFromInline var expectsContinue = false

    @usableFromInline init() {}

    /// Interprets one field line; returns the error that rejects the request, if any.
    @inlinable
    mutating func record(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) -> HTTPParseError? {
        switch name.count {
        case 4 where name.matchesLowercased("host"):
            hostCount += 1
            guard hostCount == 1 else { return .invalidHost }
            for byte in value where !ByteClass.isHostCharacter(byte) { return .invalidHost }
        case 6 where name.matchesLowercased("expect"):
            guard value.matchesLowercased("100-continue") else { return .unsupportedExpectation }
            expectsContinue = true
        case 10 where name.matchesLowercased("connection"):
            value.forEachListElement { option in
                if option.matchesLowercased("close") {
                    connectionClose = true
                } else if option.matchesLowercased("keep-alive") {
                    connectionKeepAlive = true
                }
                return true
            }
        case 14 where name.matchesLowercased("content-length"):
            // Repeated lines and lists ("5, 5") are rejected rather than reconciled: a proxy in
            // front may have picked a different one.
            guard contentLength == nil, !contentLengthTooLarge, !value.isEmpty else { return .invalidContentLength }
            var length = 0
            for byte in value {
                guard byte >= 0x30, byte <= 0x39 else { return .invalidContentLength }
                let (shifted, overflow) = length.multipliedReportingOverflow(by: 10)
                let (sum, overflowAdding) = shifted.addingReportingOverflow(Int(byte &- 0x30))
                if overflow || overflowAdding { contentLengthTooLarge = true }
                length = sum
            }
            if !contentLengthTooLarge { contentLength = length }
        case 17 where name.matchesLowercased("transfer-encoding"):
            sawTransferEncoding = true
            var valid = true
            value.forEachListElement { element in
                valid = recordTransferCoding(element)
                return valid
            }
            guard valid else { return .invalidTransferEncoding }
        default:
            break
        }
        return nil
    }

    /// `transfer-coding = token *( OWS ";" OWS transfer-parameter )`; `chunked` must be the last
    /// coding and appear once (RFC 9112 §6.1, §7).
    @inlinable
    mutating func recordTransferCoding(_ element: UnsafeRawBufferPointer) -> Bool {
        var end = 0
        while end < element.count, ByteClass.isToken(element[end]) { end += 1 }
        guard end > 0 else { return false }
        let coding = UnsafeRawBufferPointer(rebasing: element[0..<end])
        if coding.matchesLowercased("chunked") {
            guard end == element.count, chunkedCount == 0 else { return false }
            chunkedCount += 1
            lastCodingIsChunked = true
        } else {
            guard chunkedCount == 0 else { return false }
            lastCodingIsChunked = false
        }
        return true
    }

    /// The body framing once all field lines are in, or the error that rejects the request.
    @inlinable
    func finish(version: HTTPVersion, maxBodyLength: Int) -> Result<HTTPBodyFraming, HTTPParseError> {
        if version == .http1_1, hostCount == 0 { return .failure(.invalidHost) }
        if sawTransferEncoding {
            if contentLength != nil || contentLengthTooLarge { return .failure(.conflictingFraming) }
            // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means the framing is faulty.
            if version == .http1_0 || !lastCodingIsChunked { return .failure(.invalidTransferEncoding) }
            return .success(.chunked)
        }
        if contentLengthTooLarge { return .failure(.contentTooLarge) }
        guard let length = contentLength, length > 0 else { return .success(.none) }
        return length > maxBodyLength ? .failure(.contentTooLarge) : .success(.length(length))
    }
}
