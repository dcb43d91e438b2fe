/// The field lines of the most recently parsed head. One index is allocated per event loop and
/// reused for every request, so that parsing allocates nothing; it is `~Copyable` because it owns
/// that allocation.
public struct HTTPHeaderIndex: ~Copyable {
    public let capacity: Int
    @usableFromInline let storage: UnsafeMutablePointer<HTTPFieldLocation>
    @usableFromInline var count: Int = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a header index needs room for at least one field")
        self.capacity = capacity
        self.storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// The fields of the last parsed head. Valid until the next parse into this index.
    public var fields: UnsafeBufferPointer<HTTPFieldLocation> {
        UnsafeBufferPointer(start: storage, count: count)
    }

    @inlinable
    mutating func removeAll() {
        count = 0
    }

    /// The parser checks the field count against its limit, which must not exceed `capacity`.
    @inlinable
    mutating func append(_ location: HTTPFieldLocation) {
        storage[count] = location
        count += 1
    }
}
