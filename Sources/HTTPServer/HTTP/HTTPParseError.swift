/// Why a request was rejected before it reached the application. Each case maps to one response
/// status and to one `kind` label of the parse-error metric.
public enum HTTPParseError: UInt8, Error, Sendable, Hashable, CaseIterable {
    /// Not `method SP request-target SP HTTP-version CRLF`, including bare LF and stray spaces.
    case invalidRequestLine
    /// The method is not a token (RFC 9110 §9.1). A TLS ClientHello on the plain port ends here.
    case invalidMethod
    /// The target has a control, space, non-ASCII byte or fragment, or a form its method forbids.
    case invalidTarget
    /// The version is not `HTTP/DIGIT.DIGIT`.
    case invalidVersion
    /// A well-formed version other than HTTP/1.0 and HTTP/1.1.
    case unsupportedVersion
    case requestLineTooLong
    case headerSectionTooLarge
    case tooManyHeaderFields
    /// A field name that is empty or not a token.
    case invalidHeaderName
    /// Whitespace between a field name and its colon (RFC 9112 §5.1: MUST be rejected).
    case whitespaceBeforeColon
    /// A field line starting with whitespace (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A control character (NUL, bare CR, bare LF, DEL) in a field value.
    case invalidHeaderValue
    /// HTTP/1.1 without `Host`, more than one `Host`, or an invalid `Host` value (RFC 9112 §3.2).
    case invalidHost
    /// `Content-Length` that is not a single run of decimal digits, or that is repeated.
    case invalidContentLength
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.1: request smuggling vector).
    case conflictingFraming
    /// `Transfer-Encoding` whose final coding is not `chunked`, `chunked` applied twice, or any
    /// `Transfer-Encoding` in an HTTP/1.0 request.
    case invalidTransferEncoding
    /// A malformed chunked body.
    case invalidChunkedBody
    /// Content longer than the configured limit.
    case contentTooLarge
    /// An `Expect` other than `100-continue`.
    case unsupportedExpectation
    /// The client stopped sending in the middle of a request for longer than the header timeout.
    case requestTimeout

    public var status: HTTPStatus {
        switch self {
        case .unsupportedVersion: .httpVersionNotSupported
        case .requestLineTooLong: .uriTooLong
        case .headerSectionTooLarge, .tooManyHeaderFields: .requestHeaderFieldsTooLarge
        case .contentTooLarge: .contentTooLarge
        case .unsupportedExpectation: .expectationFailed
        case .requestTimeout: .requestTimeout
        default: .badRequest
        }
    }

    /// The `kind` label of `simple_time_service_http_parse_errors_total`.
    public var kind: StaticString {
        switch self {
        case .invalidRequestLine: "invalid_request_line"
        case .invalidMethod: "invalid_method"
        case .invalidTarget: "invalid_target"
        case .invalidVersion: "invalid_version"
        case .unsupportedVersion: "unsupported_version"
        case .requestLineTooLong: "request_line_too_long"
        case .headerSectionTooLarge: "header_section_too_large"
        case .tooManyHeaderFields: "too_many_header_fields"
        case .invalidHeaderName: "invalid_header_name"
        case .whitespaceBeforeColon: "whitespace_before_colon"
        case .obsoleteLineFolding: "obsolete_line_folding"
        case .invalidHeaderValue: "invalid_header_value"
        case .invalidHost: "invalid_host"
        case .invalidContentLength: "invalid_content_length"
        case .conflictingFraming: "conflicting_framing"
        case .invalidTransferEncoding: "invalid_transfer_encoding"
        case .invalidChunkedBody: "invalid_chunked_body"
        case .contentTooLarge: "content_too_large"
        case .unsupportedExpectation: "unsupported_expectation"
        case .requestTimeout: "request_timeout"
        }
    }
}
