import CSystemShims
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What the server controller and an event loop share: the loop's wake-up eventfd and the
/// requests the controller makes of it. Everything here is safe to use from any thread.
final class EventLoopControl: Sendable {
    let wakeupDescriptor: Int32
    private let drainRequested = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let failure = Mutex<SystemError?>(nil)

    init() throws(SystemError) {
        wakeupDescriptor = try SystemCall.retrying("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    deinit {
        SystemCall.close(wakeupDescriptor)
    }

    var isDrainRequested: Bool { drainRequested.load(ordering: .acquiring) }
    var isFinished: Bool { finished.load(ordering: .acquiring) }
    var failureReason: SystemError? { failure.withLock { $0 } }

    func requestDrain() {
        drainRequested.store(true, ordering: .releasing)
        wake()
    }

    func markFinished(failure error: SystemError?) {
        if let error { failure.withLock { $0 = error } }
        finished.store(true, ordering: .releasing)
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeupDescriptor, &one, MemoryLayout<UInt64>.size)
    }
}
