/// What the parser remembers between calls on the same, growing request, so that a request
/// arriving in many small pieces costs time linear in its size: it is re-parsed only when a new
/// line feed arrives (a new line to check) or the bytes cross a limit.
public struct HTTPParseProgress: Sendable, Hashable {
    /// Bytes already examined by an earlier call that returned `.incomplete`.
    public var examined: Int = 0
    /// The request line was complete in an earlier call.
    public var requestLineComplete: Bool = false

    public init() {}
}
