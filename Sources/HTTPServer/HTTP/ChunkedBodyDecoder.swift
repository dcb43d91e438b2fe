/// An incremental decoder of chunked content (RFC 9112 §7.1) that finds where the content ends
/// and discards it. The service reads no request content, but it must know where the next
/// request starts, and it must not be told otherwise by a malformed chunk.
public struct ChunkedBodyDecoder: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case needMore
        /// The last chunk and trailer section are consumed; the next request starts here.
        case done
        case invalid(HTTPParseError)
    }

    enum State: Sendable, Hashable {
        case size
        case sizeExtension
        case sizeLineFeed
        case data
        case dataCarriageReturn
        case dataLineFeed
        case trailerLineStart
        case trailerLine
        case trailerLineFeed
        case finalLineFeed
        case done
    }

    /// Longest chunk extension plus trailer section accepted; these are metadata, never large.
    public static let maxMetadataLength = 4096
    /// 15 hex digits hold any size below 2^60, beyond any limit; more digits are an overflow.
    static let maxSizeDigits = 15

    let maxBodyLength: Int
    var state = State.size
    var chunkSize = 0
    var sizeDigits = 0
    var chunkRemaining = 0
    var bodyLength = 0
    var metadataLength = 0

    public init(maxBodyLength: Int) {
        self.maxBodyLength = maxBodyLength
    }

    /// Consumes chunked content from the start of `bytes`, returning how much it consumed and
    /// whether the content is complete.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> (consumed: Int, outcome: Outcome) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch state {
            case .size:
                if let digit = byte.hexDigitValue {
                    sizeDigits += 1
                    guard sizeDigits <= Self.maxSizeDigits else { return (index, .invalid(.contentTooLarge)) }
                    chunkSize = chunkSize << 4 | Int(digit)
                } else {
                    guard sizeDigits > 0 else { return (index, .invalid(.invalidChunkedBody)) }
                    if byte == .carriageReturn {
                        state = .sizeLineFeed
                    } else if byte == .semicolon || byte == .space || byte == .tab {
                        state = .sizeExtension
                    } else {
                        return (index, .invalid(.invalidChunkedBody))
                    }
                }
            case .sizeExtension:
                if byte == .carriageReturn {
                    state = .sizeLineFeed
                } else {
                    guard ByteClass.isFieldValueCharacter(byte) else { return (index, .invalid(.invalidChunkedBody)) }
                    if let error = countMetadata() { return (index, .invalid(error)) }
                }
            case .sizeLineFeed:
                guard byte == .lineFeed else { return (index, .invalid(.invalidChunkedBody)) }
                if chunkSize == 0 {
                    state = .trailerLineStart
                } else {
                    bodyLength += chunkSize
                    guard bodyLength <= maxBodyLength else { return (index, .invalid(.contentTooLarge)) }
                    chunkRemaining = chunkSize
                    state = .data
                }
                chunkSize = 0
                sizeDigits = 0
            case .data:
                let take = min(chunkRemaining, bytes.count - index)
                chunkRemaining -= take
                index += take
                if chunkRemaining == 0 { state = .dataCarriageReturn }
                continue
            case .dataCarriageReturn:
                guard byte == .carriageReturn else { return (index, .invalid(.invalidChunkedBody)) }
                state = .dataLineFeed
            case .dataLineFeed:
                guard byte == .lineFeed else { return (index, .invalid(.invalidChunkedBody)) }
                state = .size
            case .trailerLineStart:
                if byte == .carriageReturn {
                    state = .finalLineFeed
                } else {
                    guard ByteClass.isToken(byte) else { return (index, .invalid(.invalidChunkedBody)) }
                    if let error = countMetadata() { return (index, .invalid(error)) }
                    state = .trailerLine
                }
            case .trailerLine:
                if byte == .carriageReturn {
                    state = .trailerLineFeed
                } else {
                    guard ByteClass.isFieldValueCharacter(byte) else { return (index, .invalid(.invalidChunkedBody)) }
                    if let error = countMetadata() { return (index, .invalid(error)) }
                }
            case .trailerLineFeed:
                guard byte == .lineFeed else { return (index, .invalid(.invalidChunkedBody)) }
                state = .trailerLineStart
            case .finalLineFeed:
                guard byte == .lineFeed else { return (index, .invalid(.invalidChunkedBody)) }
                state = .done
                return (index + 1, .done)
            case .done:
                return (index, .done)
            }
            index += 1
        }
        return (index, state == .done ? .done : .needMore)
    }

    mutating func countMetadata() -> HTTPParseError? {
        metadataLength += 1
        return metadataLength > Self.maxMetadataLength ? .headerSectionTooLarge : nil
    }
}
