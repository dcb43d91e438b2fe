import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// `simple-time-service healthcheck`: asks the local server for `GET /healthz` and reports
/// whether it answered 200, within the timeout.
public enum HealthCheck {
    public enum Result: Equatable, Sendable {
        case healthy
        case unhealthy(String)
    }

    public static func run(_ options: HealthCheckOptions) -> Result {
        let deadline = MonotonicTime.now() + options.timeoutMilliseconds
        let target = options.target
        let descriptor = socket(target.isIPv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return .unhealthy(SystemError("socket", code: errno).description) }
        defer { close(descriptor) }
        let endpoint = target.isIPv4 ? "\(target):\(options.port)" : "[\(target)]:\(options.port)"

        let connected: Int32
        do {
            connected = try target.withSocketAddress(port: options.port) { address, length in connect(descriptor, address, length) }
        } catch {
            return .unhealthy(error.description)
        }
        if connected != 0 {
            guard errno == EINPROGRESS else { return .unhealthy("\(endpoint): \(SystemError("connect", code: errno))") }
            guard wait(descriptor, for: Int16(POLLOUT), until: deadline) else { return .unhealthy("\(endpoint): connect timed out") }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .unhealthy("\(endpoint): \(SystemError("connect", code: error))") }
        }

        let request: StaticString = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nUser-Agent: simple-time-service-healthcheck\r\nConnection: close\r\n\r\n"
        var sent = 0
        while sent < request.utf8CodeUnitCount {
            let count = send(descriptor, request.utf8Start + sent, request.utf8CodeUnitCount - sent, Int32(MSG_NOSIGNAL))
            if count > 0 {
                sent += count
            } else if count < 0, errno == EAGAIN || errno == EINTR {
                guard wait(descriptor, for: Int16(POLLOUT), until: deadline) else { return .unhealthy("\(endpoint): send timed out") }
            } else {
                return .unhealthy("\(endpoint): \(SystemError("send", code: errno))")
            }
        }

        // The status line is all that matters: "HTTP/1.1 200 ".
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while received.count < 12 {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received += chunk[..<count]
            } else if count == 0 {
                return .unhealthy("\(endpoint): connection closed before a response")
            } else if errno == EAGAIN || errno == EINTR {
                guard wait(descriptor, for: Int16(POLLIN), until: deadline) else { return .unhealthy("\(endpoint): no response in time") }
            } else {
                return .unhealthy("\(endpoint): \(SystemError("recv", code: errno))")
            }
        }
        let statusLine = String(decoding: received.prefix(12), as: UTF8.self)
        guard statusLine == "HTTP/1.1 200" else {
            return .unhealthy("\(endpoint): answered \(String(statusLine.dropFirst(9)))")
        }
        return .healthy
    }

    private static func wait(_ descriptor: Int32, for events: Int16, until deadline: MonotonicTime) -> Bool {
        while true {
            let remaining = deadline.milliseconds - MonotonicTime.now().milliseconds
            guard remaining > 0 else { return false }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let result = poll(&entry, 1, Int32(remaining))
            if result > 0 { return true }
            if result < 0, errno == EINTR { continue }
            if result == 0 { return false }
            return false
        }
    }
}
