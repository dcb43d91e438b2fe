import HTTPServer

/// An address range in CIDR notation, such as `10.0.0.0/16` or `2001:db8::/32`. A bare address
/// is the range of that one address (/32 or /128).
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the range (host bits cleared).
    public let address: IPAddress
    public let prefixLength: Int

    public init(address: IPAddress, prefixLength: Int) {
        self.prefixLength = prefixLength
        self.address = Self.masked(address, prefixLength: prefixLength)
    }

    /// Parses `ADDRESS[/PREFIX]`. IPv4-mapped IPv6 addresses are taken as IPv4 (prefixes of 96
    /// or more then count from the end of the mapped address), because peers are matched after
    /// being unmapped.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let parsed = IPAddress(String(parts[0])) else { return nil }
        var address = parsed
        var maximum = parsed.isIPv4 ? 32 : 128
        var prefix = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard String(digits).isASCIIDigits, digits.utf8.count <= 3,
                let value = Int(digits), value <= maximum
            else { return nil }
            prefix = value
        }
        if !parsed.isIPv4, parsed.unmapped.isIPv4 {
            guard prefix >= 96 else { return nil }
            address = parsed.unmapped
            prefix -= 96
            maximum = 32
        }
        self.init(address: address, prefixLength: prefix)
    }

    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4, .v4), (.v6, .v6):
            return Self.masked(candidate, prefixLength: prefixLength) == address
        default:
            return false
        }
    }

    public var description: String {
        "\(address)/\(prefixLength)"
    }

    static func masked(_ address: IPAddress, prefixLength: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~0 << UInt32(32 - prefixLength)
            return .v4(value & mask)
        case .v6(let high, let low):
            let highMask: UInt64 = prefixLength >= 64 ? ~0 : (prefixLength == 0 ? 0 : ~0 << UInt64(64 - prefixLength))
            let lowMask: UInt64 = prefixLength <= 64 ? 0 : (prefixLength == 128 ? ~0 : ~0 << UInt64(128 - prefixLength))
            return .v6(high: high & highMask, low: low & lowMask)
        }
    }
}
