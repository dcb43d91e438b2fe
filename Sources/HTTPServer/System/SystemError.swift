#if canImport(Glibc)
import Glibc
#endif

/// A failed system call: which call, and its errno.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public let call: String
    public let code: Int32

    public init(_ call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    public var description: String {
        "\(call): \(String(cString: strerror(code)))"
    }
}
