import HTTPServer

/// Log severities, in increasing order.
public enum LogLevel: Int, Sendable, CaseIterable, Comparable {
    case debug, info, warn, error

    public var name: StaticString {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
