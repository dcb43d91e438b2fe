import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

/// The readiness interface of an event loop: epoll in level-triggered mode, plus an eventfd that
/// other threads write to wake the loop.
///
/// Level-triggered, because then one `read` per readiness event is enough: whatever is left is
/// reported again by the next `epoll_wait`. Edge-triggered epoll would need a final read that
/// returns EAGAIN after every request, one more system call per request.
final class EpollSelector {
    struct Interest: OptionSet, Sendable {
        let rawValue: UInt32
        static let readable = Interest(rawValue: EPOLLIN.rawValue)
        static let writable = Interest(rawValue: EPOLLOUT.rawValue)
        static let none = Interest([])
    }

    /// The token reported when another thread wakes the loop.
    static let wakeupToken = UInt64.max

    let descriptor: Int32
    private let wakeupDescriptor: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    private let capacity: Int

    /// - Parameter wakeupDescriptor: an eventfd owned by the caller, which other threads write.
    init(wakeupDescriptor: Int32, capacity: Int = 512) throws(SystemError) {
        descriptor = try SystemCall.retrying("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.wakeupDescriptor = wakeupDescriptor
        self.capacity = capacity
        events = .allocate(capacity: capacity)
        do {
            try register(wakeupDescriptor, token: Self.wakeupToken, interest: .readable)
        } catch {
            SystemCall.close(descriptor)
            events.deallocate()
            throw error
        }
    }

    deinit {
        SystemCall.close(descriptor)
        events.deallocate()
    }

    func register(_ fileDescriptor: Int32, token: UInt64, interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_ADD, fileDescriptor, token: token, interest: interest)
    }

    func modify(_ fileDescriptor: Int32, token: UInt64, interest: Interest) throws(SystemError) {
        try control(EPOLL_CTL_MOD, fileDescriptor, token: token, interest: interest)
    }

    func remove(_ fileDescriptor: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(descriptor, EPOLL_CTL_DEL, fileDescriptor, &event)
    }

    private func control(_ operation: Int32, _ fileDescriptor: Int32, token: UInt64, interest: Interest)
        throws(SystemError)
    {
        var event = epoll_event()
        event.events = interest.rawValue
        event.data.u64 = token
        _ = try SystemCall.retrying("epoll_ctl") { epoll_ctl(descriptor, operation, fileDescriptor, &event) }
    }

    /// Waits for readiness; -1 waits without a timeout. The returned events are valid until the
    /// next call.
    func wait(timeoutMilliseconds: Int32) throws(SystemError) -> UnsafeBufferPointer<epoll_event> {
        let count = epoll_wait(descriptor, events, Int32(capacity), timeoutMilliseconds)
        if count < 0 {
            let code = errno
            if code == EINTR { return UnsafeBufferPointer(start: events, count: 0) }
            throw SystemError("epoll_wait", code: code)
        }
        return UnsafeBufferPointer(start: events, count: Int(count))
    }

    /// Resets the wake-up eventfd after it fired.
    func consumeWakeup() {
        var value: UInt64 = 0
        _ = read(wakeupDescriptor, &value, MemoryLayout<UInt64>.size)
    }
}
