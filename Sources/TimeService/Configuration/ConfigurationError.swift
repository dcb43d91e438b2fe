import HTTPServer

/// A setting with a value it cannot take, or an unknown option. The message is one line, for
/// standard error; the process exits with status 2.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
