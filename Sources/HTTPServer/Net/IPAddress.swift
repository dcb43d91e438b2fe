/// An IPv4 or IPv6 address, in host byte order.
///
/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.5`) are what a dual-stack socket reports for IPv4
/// peers; `unmapped` turns them back into IPv4 so that a client is reported, logged and matched
/// against trusted ranges the same way whichever socket it arrived on.
public enum IPAddress: Hashable, Sendable {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    /// The IPv4 address an IPv4-mapped IPv6 address stands for; any other address unchanged.
    @inlinable
    public var unmapped: IPAddress {
        if case .v6(let high, let low) = self, high == 0, low >> 32 == 0xffff {
            return .v4(UInt32(truncatingIfNeeded: low))
        }
        return self
    }

    /// Longest text form this type writes: eight groups of four hex digits and seven colons.
    public static let maxTextLength = 39

    public static let ipv4Any = IPAddress.v4(0)
    public static let ipv4Loopback = IPAddress.v4(0x7f00_0001)
    public static let ipv6Any = IPAddress.v6(high: 0, low: 0)
    public static let ipv6Loopback = IPAddress.v6(high: 0, low: 1)

    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// The unspecified address (`0.0.0.0` or `::`): binding to it means every interface.
    public var isUnspecified: Bool {
        self == .ipv4Any || self == .ipv6Any
    }
}
