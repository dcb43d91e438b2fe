/// Where one field line of a parsed head lies, as offsets from the start of the request.
public struct HTTPFieldLocation: Sendable, Hashable {
    public var nameStart: Int32
    public var nameEnd: Int32
    public var valueStart: Int32
    public var valueEnd: Int32
}
