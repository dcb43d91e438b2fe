import Synchronization

/// A fixed array of atomic integers, for counters that one event loop writes and any loop reads
/// (a metrics scrape). Heap-allocated once, so the atomics never move.
public final class AtomicCounterArray: @unchecked Sendable {
    // @unchecked: the only stored state is an immutable pointer to `Atomic` values, created in
    // init and freed in deinit; every access to the values goes through the atomics.
    private let values: UnsafeMutablePointer<Atomic<Int>>
    public let count: Int

    public init(count: Int) {
        precondition(count > 0)
        self.count = count
        values = .allocate(capacity: count)
        for index in 0..<count {
            (values + index).initialize(to: Atomic(0))
        }
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    /// Adds to a counter that only the calling thread writes: a relaxed load and store, which is
    /// a plain move on x86-64 and arm64, instead of a locked read-modify-write.
    @inlinable @inline(__always)
    public func addFromOwner(_ amount: Int, at index: Int) {
        let counter = pointer(at: index)
        counter.pointee.store(counter.pointee.load(ordering: .relaxed) &+ amount, ordering: .relaxed)
    }

    /// Adds to a counter that several threads write.
    @inlinable
    public func addShared(_ amount: Int, at index: Int) {
        pointer(at: index).pointee.wrappingAdd(amount, ordering: .relaxed)
    }

    @inlinable
    public func load(at index: Int) -> Int {
        pointer(at: index).pointee.load(ordering: .relaxed)
    }

    @usableFromInline
    func pointer(at index: Int) -> UnsafeMutablePointer<Atomic<Int>> {
        precondition(index >= 0 && index < count)
        return values + index
    }
}
