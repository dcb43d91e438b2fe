import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP client on a blocking socket with timeouts, for talking HTTP byte by byte.
public final class RawConnection {
    public enum Ending: Equatable, Sendable {
        /// The server closed its side (FIN).
        case closed
        /// The connection was reset (RST).
        case reset
        case timedOut
    }

    public let descriptor: Int32
    private var buffered: [UInt8] = []

    /// Connects to `host` (numeric) and `port`, optionally from a given local address.
    public init(host: String = "127.0.0.1", port: UInt16, source: String? = nil) throws {
        let isIPv6 = host.contains(":")
        descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        if let source {
            var address = try Self.socketAddress(source, port: 0)
            let result = withUnsafePointer(to: &address.storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, address.length) }
            }
            guard result == 0 else { throw TestFailure("bind \(source): \(String(cString: strerror(errno)))") }
        }
        var address = try Self.socketAddress(host, port: port)
        let result = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, address.length) }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw TestFailure("connect \(host):\(port): \(message)")
        }
    }

    deinit {
        Glibc.close(descriptor)
    }

    static func socketAddress(_ host: String, port: UInt16) throws -> (storage: sockaddr_storage, length: socklen_t) {
        var storage = sockaddr_storage()
        if host.contains(":") {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw TestFailure("bad address \(host)") }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw TestFailure("bad address \(host)") }
        withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
        return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
    }

    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw TestFailure("send: \(String(cString: strerror(errno)))") }
            offset += count
        }
    }

    /// Half-closes: tells the server nothing more will be sent.
    public func shutdownWriting() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads what arrives within `timeout` seconds; nil data with the reason when nothing can.
    private func fill(timeout: Double) -> Ending? {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, Int32(timeout * 1000))
        guard ready > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffered += chunk[..<count]
            return nil
        }
        if count == 0 { return .closed }
        return errno == ECONNRESET ? .reset : .closed
    }

    /// Reads one response. `forHead`: the response to a HEAD request has no body.
    public func readResponse(timeout: Double = 5, forHead: Bool = false) throws -> HTTPResponseMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let (message, length) = HTTPResponseMessage.parse(buffered, forHead: forHead) {
                buffered.removeFirst(length)
                return message
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw TestFailure("no complete response within \(timeout) s; got \(String(decoding: buffered, as: UTF8.self).debugDescription)") }
            if let ending = fill(timeout: remaining) {
                throw TestFailure("connection \(ending) before a complete response; got \(String(decoding: buffered, as: UTF8.self).debugDescription)")
            }
        }
    }

    /// Reads until the server closes or resets the connection, or the timeout passes.
    public func readUntilClosed(timeout: Double = 5) -> (bytes: [UInt8], ending: Ending) {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return (take(), .timedOut) }
            if let ending = fill(timeout: remaining) { return (take(), ending) }
        }
    }

    private func take() -> [UInt8] {
        defer { buffered = [] }
        return buffered
    }
}

/// A parsed HTTP/1.1 response.
public struct HTTPResponseMessage: Sendable {
    public var statusLine: String
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public func headers(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// A complete response at the start of `bytes` and its length, framed by Content-Length.
    static func parse(_ bytes: [UInt8], forHead: Bool) -> (HTTPResponseMessage, Int)? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == terminator }) else {
            return nil
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0]
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        let message = HTTPResponseMessage(statusLine: statusLine, status: status, headers: headers, body: [])
        let length = forHead || status == 100 ? 0 : Int(message.header("Content-Length") ?? "0") ?? 0
        let bodyStart = end + 4
        guard bytes.count >= bodyStart + length else { return nil }
        var complete = message
        complete.body = Array(bytes[bodyStart..<(bodyStart + length)])
        return (complete, bodyStart + length)
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
