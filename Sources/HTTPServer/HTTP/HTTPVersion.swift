/// The HTTP versions this server speaks. Any other well-formed version is answered `505`.
public enum HTTPVersion: UInt8, Sendable, Hashable {
    case http1_0
    case http1_1
}
