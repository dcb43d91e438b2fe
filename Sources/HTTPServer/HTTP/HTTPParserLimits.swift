/// Size limits of the request parser. Every limit is a defence against a client that makes the
/// server buffer without bound; each is answered with its own status so that clients (and logs)
/// can tell which one was hit.
public struct HTTPParserLimits: Sendable, Hashable {
    /// Longest request line (method, target and version, without CRLF). Longer -> `414`.
    /// 8 KiB, like nginx's `large_client_header_buffers`: far above any real URL of this API.
    public var maxRequestLineLength: Int
    /// Largest request head (request line, field lines and the empty line). Larger -> `431`.
    /// Sized for ALB-added fields (`X-Forwarded-*`, `X-Amzn-Trace-Id`) and large cookies.
    public var maxHeadLength: Int
    /// Most field lines in one request. More -> `431`.
    public var maxHeaderFields: Int
    /// Longest request content. The service never reads content; it is discarded, but only up to
    /// this size, so a client cannot keep a connection busy forever. Longer -> `413`.
    public var maxBodyLength: Int

    public init(
        maxRequestLineLength: Int = 8192,
        maxHeadLength: Int = 16384,
        maxHeaderFields: Int = 100,
        maxBodyLength: Int = 65536
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeadLength = maxHeadLength
        self.maxHeaderFields = maxHeaderFields
        self.maxBodyLength = maxBodyLength
    }
}
