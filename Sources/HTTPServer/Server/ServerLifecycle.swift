import Synchronization

/// Server state that the application reads from any loop: whether the server is draining, so
/// readiness can answer 503 from the moment a stop signal arrives.
public final class ServerLifecycle: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    public var isDraining: Bool {
        draining.load(ordering: .relaxed)
    }

    func startDraining() {
        draining.store(true, ordering: .relaxed)
    }
}
