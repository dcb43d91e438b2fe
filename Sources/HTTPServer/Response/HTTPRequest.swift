/// The request as the application sees it: a view of the bytes the event loop holds, valid only
/// during the `HTTPHandler.handle` call that receives it (nothing is copied to build it).
public struct HTTPRequest {
    public let head: HTTPRequestHead
    /// The request's head bytes; `head`'s ranges and `fields` are offsets into them.
    public let bytes: UnsafeRawBufferPointer
    public let fields: UnsafeBufferPointer<HTTPFieldLocation>
    /// The TCP peer, with IPv4-mapped IPv6 addresses unmapped.
    public let peer: IPAddress
    /// When the request's last bytes were read (monotonic clock, nanoseconds).
    public let receivedAtNanoseconds: Int64
    /// The wall-clock time of that same moment.
    public let receivedAt: WallClockTime

    public init(
        head: HTTPRequestHead,
        bytes: UnsafeRawBufferPointer,
        fields: UnsafeBufferPointer<HTTPFieldLocation>,
        peer: IPAddress,
        receivedAtNanoseconds: Int64,
        receivedAt: WallClockTime
    ) {
        self.head = head
        self.bytes = bytes
        self.fields = fields
        self.peer = peer
        self.receivedAtNanoseconds = receivedAtNanoseconds
        self.receivedAt = receivedAt
    }

    public var method: HTTPMethod { head.method }

    /// The method as sent (for logs: unknown methods have no `HTTPMethod` name).
    public var methodToken: UnsafeRawBufferPointer {
        let end = head.target.lowerBound - 1
        var start = end
        while start > 0, ByteClass.isToken(bytes[start - 1]) { start -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// The path without the query string.
    public var path: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[head.path])
    }

    public func name(of field: HTTPFieldLocation) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(field.nameStart)..<Int(field.nameEnd)])
    }

    public func value(of field: HTTPFieldLocation) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(field.valueStart)..<Int(field.valueEnd)])
    }

    /// The value of the first field line named `name` (a lower-case literal), if any.
    @inlinable
    public func firstValue(of name: StaticString) -> UnsafeRawBufferPointer? {
        for field in fields where Int(field.nameEnd - field.nameStart) == name.utf8CodeUnitCount {
            if self.name(of: field).matchesLowercased(name) { return value(of: field) }
        }
        return nil
    }
}
