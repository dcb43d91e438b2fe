/// The response statuses this server sends. A closed set, so every status line and error body is
/// a static string and serialising one allocates nothing.
public enum HTTPStatus: UInt8, Sendable, Hashable, CaseIterable {
    case ok
    case badRequest
    case notFound
    case methodNotAllowed
    case requestTimeout
    case contentTooLarge
    case uriTooLong
    case expectationFailed
    case requestHeaderFieldsTooLarge
    case notImplemented
    case serviceUnavailable
    case httpVersionNotSupported

    public var code: Int {
        switch self {
        case .ok: 200
        case .badRequest: 400
        case .notFound: 404
        case .methodNotAllowed: 405
        case .requestTimeout: 408
        case .contentTooLarge: 413
        case .uriTooLong: 414
        case .expectationFailed: 417
        case .requestHeaderFieldsTooLarge: 431
        case .notImplemented: 501
        case .serviceUnavailable: 503
        case .httpVersionNotSupported: 505
        }
    }

    /// The status line, with its CRLF. Responses are always labelled HTTP/1.1, the highest version
    /// this server conforms to (RFC 9110 §6.2), whatever the request's version.
    public var statusLine: StaticString {
        switch self {
        case .ok: "HTTP/1.1 200 OK\r\n"
        case .badRequest: "HTTP/1.1 400 Bad Request\r\n"
        case .notFound: "HTTP/1.1 404 Not Found\r\n"
        case .methodNotAllowed: "HTTP/1.1 405 Method Not Allowed\r\n"
        case .requestTimeout: "HTTP/1.1 408 Request Timeout\r\n"
        case .contentTooLarge: "HTTP/1.1 413 Content Too Large\r\n"
        case .uriTooLong: "HTTP/1.1 414 URI Too Long\r\n"
        case .expectationFailed: "HTTP/1.1 417 Expectation Failed\r\n"
        case .requestHeaderFieldsTooLarge: "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        case .notImplemented: "HTTP/1.1 501 Not Implemented\r\n"
        case .serviceUnavailable: "HTTP/1.1 503 Service Unavailable\r\n"
        case .httpVersionNotSupported: "HTTP/1.1 505 HTTP Version Not Supported\r\n"
        }
    }

    /// The JSON body of an error response: the reason phrase in lower case, so that clients get a
    /// machine-readable body for every status and nothing about the server's internals.
    public var errorBody: StaticString {
        switch self {
        case .ok: "{}"
        case .badRequest: #"{"error":"bad request"}"#
        case .notFound: #"{"error":"not found"}"#
        case .methodNotAllowed: #"{"error":"method not allowed"}"#
        case .requestTimeout: #"{"error":"request timeout"}"#
        case .contentTooLarge: #"{"error":"content too large"}"#
        case .uriTooLong: #"{"error":"uri too long"}"#
        case .expectationFailed: #"{"error":"expectation failed"}"#
        case .requestHeaderFieldsTooLarge: #"{"error":"request header fields too large"}"#
        case .notImplemented: #"{"error":"not implemented"}"#
        case .serviceUnavailable: #"{"error":"service unavailable"}"#
        case .httpVersionNotSupported: #"{"error":"http version not supported"}"#
        }
    }
}
