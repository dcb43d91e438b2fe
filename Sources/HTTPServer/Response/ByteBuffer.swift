#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer that owns its memory. The event loop keeps a few of these and reuses
/// them for every request (`removeAll` keeps the capacity), so building a response allocates
/// nothing in the steady state. `~Copyable` because it owns its allocation.
public struct ByteBuffer: ~Copyable {
    @usableFromInline var storage: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var byteCount = 0

    public var count: Int { byteCount }

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    public var isEmpty: Bool { count == 0 }

    /// The bytes written so far; valid until the next mutation.
    public var readableBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage, count: count)
    }

    public mutating func removeAll() {
        byteCount = 0
    }

    /// Gives memory back after a burst (a pipelined flood), so one busy moment does not pin it.
    public mutating func shrink(ifLargerThan limit: Int, to target: Int) {
        guard capacity > limit, count <= target else { return }
        let replacement = UnsafeMutableRawPointer.allocate(byteCount: target, alignment: 16)
        replacement.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = replacement
        capacity = target
    }

    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        guard minimumCapacity > capacity else { return }
        grow(to: minimumCapacity)
    }

    @usableFromInline
    mutating func grow(to minimumCapacity: Int) {
        var newCapacity = capacity * 2
        while newCapacity < minimumCapacity { newCapacity *= 2 }
        let replacement = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        replacement.copyMemory(from: storage, byteCount: count)
        storage.deallocate()
        storage = replacement
        capacity = newCapacity
    }

    /// Lets `body` write up to `maximumCount` bytes at the end; it returns how many it wrote.
    @inlinable
    public mutating func append<Failure: Error>(
        maximumCount: Int, _ body: (UnsafeMutableRawPointer) throws(Failure) -> Int
    ) throws(Failure) -> Int {
        reserveCapacity(count + maximumCount)
        let written = try body(storage + count)
        precondition(written >= 0 && written <= maximumCount)
        byteCount += written
        return written
    }

    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserveCapacity(count + bytes.count)
        (storage + count).copyMemory(from: source, byteCount: bytes.count)
        byteCount += bytes.count
    }

    @inlinable
    public mutating func append(_ literal: StaticString) {
        append(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inlinable
    public mutating func append(_ byte: UInt8) {
        reserveCapacity(count + 1)
        storage.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        byteCount += 1
    }

    /// Appends a `String`'s UTF-8. (A separate label, so that literals pick the `StaticString`
    /// overload, which costs no reference counting.)
    public mutating func append(string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }


    /// Appends a non-negative integer in decimal.
    @inlinable
    public mutating func appendDecimal(_ value: Int) {
        precondition(value >= 0)
        reserveCapacity(count + 20)
        var digits = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            digits += 1
        }
        var remaining = value
        var position = count + digits - 1
        repeat {
            storage.storeBytes(of: UInt8(0x30 + remaining % 10), toByteOffset: position, as: UInt8.self)
            remaining /= 10
            position -= 1
        } while remaining > 0
        byteCount += digits
    }

    @inlinable
    public mutating func append(address: IPAddress) {
        reserveCapacity(count + IPAddress.maxTextLength)
        byteCount += address.format(into: storage + count)
    }
}
