/// How log lines are written.
public enum LogFormat: String, Sendable, CaseIterable {
    case json
    case text
}
