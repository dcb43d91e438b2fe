/// What one call of the parser found.
public enum HTTPParseResult: Sendable, Hashable {
    case complete(HTTPRequestHead)
    /// The head is valid so far but not finished: call again when more bytes have arrived.
    case incomplete
    case invalid(HTTPParseError)
}
