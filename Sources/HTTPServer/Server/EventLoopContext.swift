/// What a handler may know about the loop it runs on and the server around it.
public struct EventLoopContext: Sendable {
    public let loopIndex: Int
    public let lifecycle: ServerLifecycle
    public let metrics: ServerMetrics
}
