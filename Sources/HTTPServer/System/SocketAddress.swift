#if canImport(Glibc)
import Glibc
#endif

extension IPAddress {
    /// The address (unmapped) and port of a socket address; nil for families other than IP.
    init?(socketAddress storage: UnsafeRawPointer) {
        let family = storage.load(as: sockaddr.self).sa_family
        switch Int32(family) {
        case AF_INET:
            let address = storage.load(as: sockaddr_in.self)
            self = .v4(UInt32(bigEndian: address.sin_addr.s_addr))
        case AF_INET6:
            var address = storage.load(as: sockaddr_in6.self)
            let (high, low) = withUnsafeBytes(of: &address.sin6_addr) { bytes in
                (UInt64(bigEndian: bytes.load(as: UInt64.self)), UInt64(bigEndian: bytes.load(fromByteOffset: 8, as: UInt64.self)))
            }
            self = IPAddress.v6(high: high, low: low).unmapped
        default:
            return nil
        }
    }

    /// The port of a socket address of either IP family.
    static func port(ofSocketAddress storage: UnsafeRawPointer) -> UInt16 {
        switch Int32(storage.load(as: sockaddr.self).sa_family) {
        case AF_INET: UInt16(bigEndian: storage.load(as: sockaddr_in.self).sin_port)
        case AF_INET6: UInt16(bigEndian: storage.load(as: sockaddr_in6.self).sin6_port)
        default: 0
        }
    }

    var family: Int32 { isIPv4 ? AF_INET : AF_INET6 }

    /// Calls `body` with this address and `port` as a C socket address.
    public func withSocketAddress<Result>(
        port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result
    ) throws(SystemError) -> Result {
        switch self {
        case .v4(let value):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = value.bigEndian
            return try withUnsafeBytes(of: &address) { (raw) throws(SystemError) -> Result in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        case .v6(let high, let low):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
                bytes.storeBytes(of: high.bigEndian, as: UInt64.self)
                bytes.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            return try withUnsafeBytes(of: &address) { (raw) throws(SystemError) -> Result in
                try body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }
}
