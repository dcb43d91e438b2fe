/// A parsed request head. Positions are offsets from the start of the request's bytes, so a head
/// stays meaningful when the bytes move (a partial request copied into a connection's own buffer).
public struct HTTPRequestHead: Sendable, Hashable {
    public var method: HTTPMethod
    public var version: HTTPVersion
    /// The request-target as sent.
    public var target: Range<Int>
    /// The path of the target without the query: the whole target in origin-form, the path after
    /// the authority in absolute-form (empty for `http://host`), `*` in asterisk-form, and empty in
    /// authority-form (CONNECT).
    public var path: Range<Int>
    /// Bytes of the head, including leading empty lines and the final empty line: the offset where
    /// the content (or the next request) starts.
    public var headLength: Int
    public var body: HTTPBodyFraming
    /// Whether the client allows the connection to stay open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// `Expect: 100-continue` was sent with content.
    public var expectsContinue: Bool
}
