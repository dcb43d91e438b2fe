import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    /// Accepts what the listening socket has, up to a batch.
    mutating func acceptConnections(ignoringLimits: Bool = false) {
        guard let listener, !acceptPaused else { return }
        var accepted = 0
        while ignoringLimits || accepted < Self.acceptBatch {
            if !ignoringLimits, metrics.openConnections >= configuration.maxConnections {
                pauseAccepting(reason: "max connections (\(configuration.maxConnections)) reached")
                return
            }
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let descriptor = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sts_accept_nonblocking(listener.descriptor, $0, &length)
                }
            }
            if descriptor < 0 {
                let code = errno
                switch code {
                case EINTR, ECONNABORTED, EPROTO:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    return
                default:
                    // EMFILE, ENFILE, ENOBUFS, ENOMEM: the listener stays readable, so retrying
                    // at once would spin. Pause; a closing connection or the timer resumes.
                    pauseAccepting(reason: SystemError("accept4", code: code).description)
                    return
                }
            }
            accepted += 1
            let peer = withUnsafeBytes(of: &storage) { IPAddress(socketAddress: $0.baseAddress!) } ?? .ipv4Any
            open(descriptor, peer: peer)
        }
    }

    /// Starts serving an accepted connection. The listener defers accepting until the client has
    /// sent data (TCP_DEFER_ACCEPT), so the request is usually waiting already: it is read and
    /// answered at once, and a connection that closes after one response is never registered
    /// with epoll at all.
    private mutating func open(_ descriptor: Int32, peer: IPAddress) {
        var machine = HTTPConnectionStateMachine(parser: parser, timeouts: configuration.timeouts, now: now)
        if isDraining { machine.startDraining(now: now) }
        let slot = connections.makeSlot(for: descriptor, peer: peer, machine: machine)
        openConnections += 1
        metrics.connectionAccepted(loop: index)
        synchronizeTimer(slot)
        readAndProcess(slot)
        guard slot.pointee.phase != .closed, !slot.pointee.registered else { return }
        do {
            try selector.register(descriptor, token: slot.pointee.token, interest: slot.pointee.interest)
            slot.pointee.registered = true
        } catch {
            closeConnection(slot)
        }
    }

    mutating func pauseAccepting(reason: String) {
        guard let listener, !acceptPaused else { return }
        acceptPaused = true
        acceptResumeTime = now + Self.acceptRetryMilliseconds
        try? selector.modify(listener.descriptor, token: Self.listenerToken, interest: .none)
        // Reported at most every few seconds: under EMFILE this happens ten times a second.
        if lastAcceptPauseReport == .never || now >= lastAcceptPauseReport + Self.acceptPauseReportInterval {
            lastAcceptPauseReport = now
            handler.serverEvent(.acceptPaused(loop: index, reason: reason))
        }
    }

    mutating func resumeAccepting() {
        guard acceptPaused else { return }
        acceptPaused = false
        acceptResumeTime = .never
        if let listener {
            try? selector.modify(listener.descriptor, token: Self.listenerToken, interest: .readable)
        }
    }
}
