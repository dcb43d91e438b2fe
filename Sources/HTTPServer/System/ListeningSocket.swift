import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

/// A bound, listening, non-blocking TCP socket.
public struct ListeningSocket: Sendable {
    public let descriptor: Int32
    public let address: IPAddress
    public let port: UInt16

    /// How long the kernel holds a connection that has sent nothing before accepting it anyway.
    static let deferAcceptSeconds: Int32 = 1

    /// Opens a listening socket.
    ///
    /// - Parameters:
    ///   - reusePort: `SO_REUSEPORT`, so each event loop can have its own socket on the same
    ///     port and the kernel spreads connections across them.
    static func open(address: IPAddress, port: UInt16, reusePort: Bool, backlog: Int32) throws(SystemError)
        -> ListeningSocket
    {
        let descriptor = try SystemCall.retrying("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            // Restarting must not fail on the previous process's TIME_WAIT connections.
            try setOption(descriptor, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try setOption(descriptor, SOL_SOCKET, SO_REUSEPORT, 1) }
            if case .v6 = address {
                // Dual-stack: an IPv6 socket on :: also accepts IPv4, as IPv4-mapped addresses.
                try setOption(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, address.isUnspecified ? 0 : 1)
            }
            try address.withSocketAddress(port: port) { (pointer, length) throws(SystemError) in
                _ = try SystemCall.retrying("bind") { bind(descriptor, pointer, length) }
            }
            // Accept a connection only once its first data has arrived: the request can then be
            // read at once, and connections that never send anything never reach the server.
            try setOption(descriptor, Int32(IPPROTO_TCP), TCP_DEFER_ACCEPT, Self.deferAcceptSeconds)
            _ = try SystemCall.retrying("listen") { listen(descriptor, backlog) }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            _ = try withUnsafeMutablePointer(to: &storage) { (pointer) throws(SystemError) -> Int32 in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (socketAddress) throws(SystemError) -> Int32 in
                    try SystemCall.retrying("getsockname") { getsockname(descriptor, socketAddress, &length) }
                }
            }
            let boundPort = withUnsafeBytes(of: &storage) { IPAddress.port(ofSocketAddress: $0.baseAddress!) }
            return ListeningSocket(descriptor: descriptor, address: address, port: boundPort)
        } catch {
            SystemCall.close(descriptor)
            throw error
        }
    }

    /// Fails with EADDRINUSE if anything listens on the address and port. Sockets with
    /// `SO_REUSEPORT` would otherwise silently share the port with another process of the same
    /// user, such as a second copy of this service.
    static func checkAvailable(address: IPAddress, port: UInt16) throws(SystemError) {
        let probe = try open(address: address, port: port, reusePort: false, backlog: 1)
        SystemCall.close(probe.descriptor)
    }

    func close() {
        SystemCall.close(descriptor)
    }

    static func setOption(_ descriptor: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SystemError) {
        var value = value
        _ = try SystemCall.retrying("setsockopt") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}
