/// Request methods. Methods are case-sensitive (RFC 9110 §9.1), so `get` is not `GET`.
public enum HTTPMethod: UInt8, Sendable, Hashable, CaseIterable {
    case get, head, post, put, delete, connect, options, trace, patch
    /// A syntactically valid method token this server does not implement: answered `501`.
    case unknown

    /// The method's name on the wire.
    public var name: StaticString {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .connect: "CONNECT"
        case .options: "OPTIONS"
        case .trace: "TRACE"
        case .patch: "PATCH"
        case .unknown: "UNKNOWN"
        }
    }

    /// Classifies a method token already checked to be non-empty and made of `tchar`s.
    @inlinable
    static func classify(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod {
        switch bytes.count {
        case 3:
            if bytes.matches("GET") { return .get }
            if bytes.matches("PUT") { return .put }
        case 4:
            if bytes.matches("HEAD") { return .head }
            if bytes.matches("POST") { return .post }
        case 5:
            if bytes.matches("PATCH") { return .patch }
            if bytes.matches("TRACE") { return .trace }
        case 6:
            if bytes.matches("DELETE") { return .delete }
        case 7:
            if bytes.matches("OPTIONS") { return .options }
            if bytes.matches("CONNECT") { return .connect }
        default:
            break
        }
        return .unknown
    }
}
