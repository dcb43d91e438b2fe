/// How the request's content is delimited (RFC 9112 §6.3). The server never interprets request
/// content; it only needs to find where the next request starts.
public enum HTTPBodyFraming: Sendable, Hashable {
    case none
    case length(Int)
    case chunked
}
