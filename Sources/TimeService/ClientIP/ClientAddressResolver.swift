import HTTPServer

/// Finds the client's address behind trusted proxies, as nginx's realip module does with
/// `real_ip_recursive on`.
///
/// Behind an ALB the TCP peer is the balancer, and the client's address is the last entry the
/// balancer appended to `X-Forwarded-For`. Everything to the left of it came from the client and
/// may be forged, so the walk starts at the right and stops at the first address that is not a
/// trusted proxy. Nothing is believed unless the TCP peer itself is trusted.
public struct ClientAddressResolver: Sendable {
    public let trustedProxies: [IPNetwork]

    public init(trustedProxies: [IPNetwork]) {
        self.trustedProxies = trustedProxies
    }

    public func isTrusted(_ address: IPAddress) -> Bool {
        for network in trustedProxies where network.contains(address) { return true }
        return false
    }

    /// The client of `request`.
    public func clientAddress(of request: HTTPRequest) -> IPAddress {
        guard !trustedProxies.isEmpty, isTrusted(request.peer) else { return request.peer }
        return clientAddress(peer: request.peer) { visit in
            // Field lines from last to first: entries are appended at the end.
            for field in request.fields.reversed()
            where Int(field.nameEnd - field.nameStart) == 15 && request.name(of: field).matchesLowercased("x-forwarded-for") {
                guard visit(request.value(of: field)) else { return }
            }
        }
    }

    /// The walk itself: `forEachValueFromLast` calls its argument with each `X-Forwarded-For`
    /// value, last field line first, until it returns false.
    public func clientAddress(
        peer: IPAddress,
        forEachValueFromLast: ((UnsafeRawBufferPointer) -> Bool) -> Void
    ) -> IPAddress {
        var current = peer
        var finished = false
        forEachValueFromLast { value in
            value.forEachListElementFromLast { entry in
                guard let address = Self.parseEntry(entry) else {
                    finished = true  // not an address: stop at the last valid one
                    return false
                }
                current = address
                if !isTrusted(address) {
                    finished = true
                    return false
                }
                return true
            }
            return !finished
        }
        return current
    }

    /// One `X-Forwarded-For` entry: an IPv4 or IPv6 address, `[IPv6]`, `[IPv6]:port` or
    /// `IPv4:port`, with IPv4-mapped addresses unmapped.
    public static func parseEntry(_ entry: UnsafeRawBufferPointer) -> IPAddress? {
        guard !entry.isEmpty else { return nil }
        if entry[0] == UInt8(ascii: "[") {
            guard let close = entry.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            let rest = UnsafeRawBufferPointer(rebasing: entry[(close + 1)...])
            guard rest.isEmpty || isPortSuffix(rest),
                let address = IPAddress.parse(UnsafeRawBufferPointer(rebasing: entry[1..<close])), !address.isIPv4
            else { return nil }
            return address.unmapped
        }
        var colons = 0
        var lastColon = 0
        for (index, byte) in entry.enumerated() where byte == UInt8(ascii: ":") {
            colons += 1
            lastColon = index
        }
        if colons == 1 {
            // IPv4:port (a bare IPv6 address has at least two colons).
            guard isPortSuffix(UnsafeRawBufferPointer(rebasing: entry[lastColon...])),
                let address = IPAddress.parse(UnsafeRawBufferPointer(rebasing: entry[..<lastColon])), address.isIPv4
            else { return nil }
            return address
        }
        return IPAddress.parse(entry)?.unmapped
    }

    /// `:` followed by 1 to 5 digits.
    static func isPortSuffix(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 2, bytes.count <= 6, bytes[0] == UInt8(ascii: ":") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
