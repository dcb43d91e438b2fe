import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

extension EventLoop {
    mutating func handleEvent(token: UInt64, flags: UInt32) {
        let descriptor = Int32(truncatingIfNeeded: token & 0xffff_ffff)
        guard let slot = connections.slot(descriptor), slot.pointee.phase != .closed,
            slot.pointee.token == token
        else { return }  // an event for a connection already closed in this round

        switch slot.pointee.phase {
        case .lingering:
            discardLingeringInput(slot)
        case .open, .closingAfterFlush:
            if flags & EPOLLOUT.rawValue != 0 || !slot.pointee.pendingOutput.isEmpty {
                writePendingOutput(slot)
                return
            }
            readAndProcess(slot)
        case .closed:
            break
        }
    }

    // MARK: Reading

    mutating func readAndProcess(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        let descriptor = slot.pointee.descriptor
        let buffer = readBuffer
        let count: Int
        do {
            switch try SystemCall.nonBlocking("read", { read(descriptor, buffer, Self.readCapacity) }) {
            case .wouldBlock: return
            case .done(let value): count = value
            }
        } catch {
            closeConnection(slot)  // ECONNRESET and the like: the peer is gone
            return
        }
        if count == 0 {
            endOfInput(slot)
            return
        }
        let fresh = UnsafeRawBufferPointer(start: readBuffer, count: count)
        if slot.pointee.pendingInput.isEmpty {
            let (consumed, close) = process(slot, fresh)
            if consumed < count, close == nil {
                slot.pointee.pendingInput = Array(fresh[consumed...])
            }
            complete(slot, close: close)
        } else {
            // Rare: the rest of a request that arrived in pieces.
            var input = slot.pointee.pendingInput
            slot.pointee.pendingInput = []
            input.append(contentsOf: fresh)
            let (consumed, close) = input.withUnsafeBytes { process(slot, $0) }
            if consumed < input.count, close == nil {
                input.removeFirst(consumed)
                slot.pointee.pendingInput = input
            }
            complete(slot, close: close)
        }
    }

    /// How a connection ends after its final response.
    enum CloseMode {
        /// The client asked to close and sent nothing more: close at once.
        case immediately
        /// Shut down our side and read until the client closes, so bytes it may still send
        /// cannot make the kernel reset the connection before it reads the response.
        case gracefully
    }

    /// Runs the state machine over `input`, queuing responses in `output`.
    /// - Returns: the bytes consumed, and how to close if the connection is finished.
    private mutating func process(
        _ slot: UnsafeMutablePointer<ConnectionSlot>, _ input: UnsafeRawBufferPointer
    ) -> (consumed: Int, close: CloseMode?) {
        var offset = 0
        while true {
            let (action, consumed) = slot.pointee.machine.process(
                UnsafeRawBufferPointer(rebasing: input[offset...]), now: now, fields: &fields)
            switch action {
            case .respond(let head, let closeAfterResponse):
                let headStart = offset + consumed - head.headLength
                respond(
                    slot, head: head,
                    bytes: UnsafeRawBufferPointer(rebasing: input[headStart..<headStart + head.headLength]),
                    closeAfterResponse: closeAfterResponse)
                offset += consumed
                if closeAfterResponse {
                    let clientIsDone = !head.keepAlive && offset == input.count && head.body == .none
                    return (input.count, clientIsDone ? .immediately : .gracefully)
                }
            case .reject(let error):
                reject(slot, error)
                return (input.count, .gracefully)
            case .waitForInput:
                return (offset + consumed, nil)
            case .close:
                return (input.count, .gracefully)
            }
        }
    }

    private mutating func endOfInput(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        _ = slot.pointee.machine.inputEnded()
        // The client has finished sending; whatever it still reads, it reads before our FIN.
        slot.pointee.closeWithoutLingering = true
        finishAfterFlush(slot)
    }

    // MARK: Responding

    private mutating func respond(
        _ slot: UnsafeMutablePointer<ConnectionSlot>, head: HTTPRequestHead, bytes: UnsafeRawBufferPointer,
        closeAfterResponse: Bool
    ) {
        if slot.pointee.machine.requestCount == 2, !slot.pointee.noDelay {
            // A reused connection: make sure a small response is never held back by Nagle's
            // algorithm waiting for an ACK (the same moment nginx sets it).
            slot.pointee.noDelay = true
            try? ListeningSocket.setOption(slot.pointee.descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
        }
        let wallClock = WallClockTime.now()
        response.reset()
        let request = HTTPRequest(
            head: head, bytes: bytes, fields: fields.fields, peer: slot.pointee.peer,
            receivedAtNanoseconds: nowNanoseconds, receivedAt: wallClock)
        handler.handle(request, response: &response)
        serializeResponse(
            wallClock: wallClock, includeBody: head.method != .head, closeConnection: closeAfterResponse,
            keepAliveHeader: head.version == .http1_0 && !closeAfterResponse)
    }

    /// Queues the error response of a request the protocol layer refused.
    mutating func reject(_ slot: UnsafeMutablePointer<ConnectionSlot>, _ error: HTTPParseError) {
        let wallClock = WallClockTime.now()
        metrics.parseErrorSeen(error, loop: index)
        handler.requestRejected(error, peer: slot.pointee.peer, at: wallClock)
        response.reset()
        response.setError(error.status)
        serializeResponse(wallClock: wallClock, includeBody: true, closeConnection: true, keepAliveHeader: false)
    }

    private mutating func serializeResponse(
        wallClock: WallClockTime, includeBody: Bool, closeConnection: Bool, keepAliveHeader: Bool
    ) {
        let status = response.status.statusLine
        let contentType = response.contentType
        output.reserveCapacity(
            output.count + status.utf8CodeUnitCount + contentType.utf8CodeUnitCount + defaultHeaderLines.count
                + response.headerLines.count + response.body.count + 160)
        output.append(status)
        output.append("Content-Type: ")
        output.append(contentType)
        output.append("\r\nContent-Length: ")
        output.appendDecimal(response.body.count)
        output.append("\r\n")
        output.append(dateCache.headerLine(forSecond: wallClock.seconds))
        output.append(defaultHeaderLines.readableBytes)
        output.append(response.headerLines.readableBytes)
        if closeConnection {
            output.append("Connection: close\r\n\r\n")
        } else if keepAliveHeader {
            output.append("Connection: keep-alive\r\n\r\n")
        } else {
            output.append("\r\n")
        }
        if includeBody { output.append(response.body.readableBytes) }
    }

    /// After input was processed: send what was queued, then close if the connection is done.
    private mutating func complete(_ slot: UnsafeMutablePointer<ConnectionSlot>, close: CloseMode?) {
        flush(slot)
        guard slot.pointee.phase != .closed else { return }
        if let close {
            slot.pointee.closeWithoutLingering = close == .immediately
            finishAfterFlush(slot)
        } else {
            synchronizeTimer(slot)
        }
    }

    // MARK: Writing

    /// Writes the queued responses with one `send`; what the socket does not take is kept and
    /// written when epoll reports the socket writable. Reading stops meanwhile, so a client
    /// that pipelines without reading cannot make the server buffer without bound.
    mutating func flush(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        guard !output.isEmpty else { return }
        defer {
            output.removeAll()
            output.shrink(ifLargerThan: 1 << 20, to: 64 * 1024)
        }
        if !slot.pointee.pendingOutput.isEmpty {
            output.readableBytes.withMemoryRebound(to: UInt8.self) { slot.pointee.pendingOutput.append(contentsOf: $0) }
            return
        }
        let bytes = output.readableBytes
        let descriptor = slot.pointee.descriptor
        var sent = 0
        do {
            switch try SystemCall.nonBlocking("send", {
                send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            }) {
            case .done(let count): sent = count
            case .wouldBlock: sent = 0
            }
        } catch {
            closeConnection(slot)
            return
        }
        if sent < bytes.count {
            slot.pointee.pendingOutput = Array(UnsafeRawBufferPointer(rebasing: bytes[sent...]))
            slot.pointee.pendingOutputOffset = 0
            setInterest(slot, .writable)
        }
    }

    private mutating func writePendingOutput(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        let descriptor = slot.pointee.descriptor
        let offset = slot.pointee.pendingOutputOffset
        let result: IOResult<Int>
        do {
            result = try slot.pointee.pendingOutput.withUnsafeBytes { (bytes) throws(SystemError) -> IOResult<Int> in
                try SystemCall.nonBlocking("send", {
                    send(descriptor, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                })
            }
        } catch {
            closeConnection(slot)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .done(let count):
            slot.pointee.pendingOutputOffset += count
            guard slot.pointee.pendingOutputOffset == slot.pointee.pendingOutput.count else { return }
            slot.pointee.pendingOutput = []
            slot.pointee.pendingOutputOffset = 0
            if slot.pointee.phase == .closingAfterFlush {
                finishAfterFlush(slot)
            } else {
                setInterest(slot, .readable)
                synchronizeTimer(slot)
            }
        }
    }

    mutating func setInterest(_ slot: UnsafeMutablePointer<ConnectionSlot>, _ interest: EpollSelector.Interest) {
        guard slot.pointee.interest != interest else { return }
        slot.pointee.interest = interest
        guard slot.pointee.registered else { return }  // `open` registers it with this interest
        do {
            try selector.modify(slot.pointee.descriptor, token: slot.pointee.token, interest: interest)
        } catch {
            closeConnection(slot)
        }
    }

    // MARK: Closing

    /// Closes once the queued output is written (now, if it all was).
    mutating func finishAfterFlush(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        guard slot.pointee.phase != .closed else { return }
        if slot.pointee.pendingOutput.isEmpty {
            if slot.pointee.closeWithoutLingering {
                closeConnection(slot)
            } else {
                closeGracefully(slot)
            }
        } else {
            slot.pointee.phase = .closingAfterFlush
            // A client that never reads must not hold the connection forever.
            connections.schedule(slot, in: .linger, deadline: now + configuration.timeouts.idleMilliseconds)
        }
    }

    /// Shuts down our sending side and lingers: the client sees the response and then the end
    /// of the stream, never a reset caused by bytes it sent after the request we answered.
    mutating func closeGracefully(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        guard slot.pointee.pendingOutput.isEmpty else {
            slot.pointee.closeWithoutLingering = false
            finishAfterFlush(slot)
            return
        }
        shutdown(slot.pointee.descriptor, Int32(SHUT_WR))
        slot.pointee.phase = .lingering
        slot.pointee.pendingInput = []
        connections.schedule(slot, in: .linger, deadline: now + configuration.timeouts.lingerMilliseconds)
        setInterest(slot, .readable)
    }

    private mutating func discardLingeringInput(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        let descriptor = slot.pointee.descriptor
        let buffer = readBuffer
        do {
            switch try SystemCall.nonBlocking("read", { read(descriptor, buffer, Self.readCapacity) }) {
            case .wouldBlock:
                return
            case .done(let count) where count > 0:
                return  // discarded; wait for the end of the stream or the linger deadline
            case .done:
                closeConnection(slot)
            }
        } catch {
            closeConnection(slot)
        }
    }

    mutating func closeConnection(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        guard slot.pointee.phase != .closed else { return }
        SystemCall.close(slot.pointee.descriptor)
        connections.release(slot)
        openConnections -= 1
        metrics.connectionClosed(loop: index)
        if acceptPaused { resumeAccepting() }
    }
}
