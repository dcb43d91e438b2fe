/// Makes the handler of each event loop.
public protocol HTTPHandlerFactory: Sendable {
    func makeHandler(for loop: EventLoopContext) -> any HTTPHandler
}
