import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

/// One event loop: a thread that owns an epoll instance, a listening socket and the connections
/// it accepted, and serves them to completion. Loops share nothing on the request path; the
/// kernel balances connections across their `SO_REUSEPORT` sockets.
///
/// An event loop is created on, and used only by, its own thread. It is a noncopyable struct
/// driven through `mutating` methods, so its per-request state (buffers, connection table,
/// clock) is checked for exclusive access at compile time rather than at every access.
struct EventLoop: ~Copyable {
    static let listenerToken = UInt64.max - 1
    /// Bytes read per `read` call; also the most input processed before a flush.
    static let readCapacity = 64 * 1024
    /// Connections accepted per readiness event, so a connection storm cannot starve the
    /// connections already open.
    static let acceptBatch = 64
    /// How long accepting pauses after EMFILE and similar, unless a connection closes sooner.
    static let acceptRetryMilliseconds: Int64 = 100
    static let acceptPauseReportInterval: Int64 = 5_000

    let index: Int
    let configuration: HTTPServerConfiguration
    let control: EventLoopControl
    let metrics: ServerMetrics
    let handler: any HTTPHandler
    let selector: EpollSelector
    let parser: HTTPRequestParser

    var listener: ListeningSocket?
    var acceptPaused = false
    var acceptResumeTime = MonotonicTime.never
    var lastAcceptPauseReport = MonotonicTime.never
    var openConnections = 0
    var isDraining = false

    var connections: ConnectionTable
    var fields: HTTPHeaderIndex
    let readBuffer: UnsafeMutableRawPointer
    var output = ByteBuffer(capacity: 64 * 1024)
    var response = HTTPResponse()
    var dateCache = HTTPDateCache()
    var defaultHeaderLines: ByteBuffer

    /// The clock, read once per loop iteration.
    var now = MonotonicTime(milliseconds: 0)
    var nowNanoseconds: Int64 = 0

    init(
        index: Int,
        listener: ListeningSocket,
        configuration: HTTPServerConfiguration,
        control: EventLoopControl,
        metrics: ServerMetrics,
        handler: any HTTPHandler
    ) throws(SystemError) {
        // Everything that can fail first: a noncopyable value cannot be half initialised.
        let selector = try EpollSelector(wakeupDescriptor: control.wakeupDescriptor)
        try selector.register(listener.descriptor, token: Self.listenerToken, interest: .readable)
        self.selector = selector
        self.index = index
        self.listener = listener
        self.configuration = configuration
        self.control = control
        self.metrics = metrics
        self.handler = handler
        self.parser = HTTPRequestParser(limits: configuration.limits)
        self.fields = HTTPHeaderIndex(capacity: configuration.limits.maxHeaderFields)
        self.readBuffer = .allocate(byteCount: Self.readCapacity, alignment: 16)
        self.defaultHeaderLines = ByteBuffer(capacity: max(1, configuration.defaultHeaderLines.utf8.count))
        self.defaultHeaderLines.append(string: configuration.defaultHeaderLines)
        let emptyMachine = HTTPConnectionStateMachine(
            parser: parser, timeouts: configuration.timeouts, now: MonotonicTime(milliseconds: 0))
        self.connections = ConnectionTable(initialCapacity: 256, emptyMachine: emptyMachine)
    }

    deinit {
        readBuffer.deallocate()
        listener?.close()
    }

    /// Serves until the loop has drained after a drain request.
    mutating func run() throws(SystemError) {
        updateClock()
        while true {
            if !isDraining, control.isDrainRequested { beginDraining() }
            if isDraining, openConnections == 0 { return }
            let events = try selector.wait(timeoutMilliseconds: nextTimeoutMilliseconds())
            updateClock()
            for event in events {
                let token = event.data.u64
                if token == Self.listenerToken {
                    acceptConnections()
                } else if token == EpollSelector.wakeupToken {
                    selector.consumeWakeup()
                } else {
                    handleEvent(token: token, flags: event.events)
                }
            }
            expireTimers()
            handler.loopIterationDidEnd()
        }
    }

    mutating func updateClock() {
        nowNanoseconds = MonotonicTime.nowNanoseconds()
        now = MonotonicTime(milliseconds: nowNanoseconds / 1_000_000)
    }

    // MARK: Timers

    func nextTimeoutMilliseconds() -> Int32 {
        var earliest = acceptPaused ? acceptResumeTime : MonotonicTime.never
        for list in ConnectionSlot.TimerList.all {
            if let first = connections.first(in: list), first.pointee.timerDeadline < earliest {
                earliest = first.pointee.timerDeadline
            }
        }
        if earliest == .never { return -1 }
        let wait = earliest.milliseconds - now.milliseconds
        return Int32(clamping: max(0, wait))
    }

    mutating func expireTimers() {
        if acceptPaused, now >= acceptResumeTime { resumeAccepting() }
        for list in ConnectionSlot.TimerList.all {
            while let slot = connections.first(in: list), slot.pointee.timerDeadline <= now {
                connections.unlink(slot)
                if list == .linger {
                    closeConnection(slot)
                    continue
                }
                guard let action = slot.pointee.machine.timeoutPassed(now: now) else {
                    synchronizeTimer(slot)
                    continue
                }
                switch action {
                case .reject(let error):
                    reject(slot, error)
                    flush(slot)
                    slot.pointee.closeWithoutLingering = false
                    finishAfterFlush(slot)
                case .close, .waitForInput, .respond:
                    closeGracefully(slot)
                }
            }
        }
    }

    /// Puts the connection in the deadline list its state machine asks for.
    @inline(__always)
    mutating func synchronizeTimer(_ slot: UnsafeMutablePointer<ConnectionSlot>) {
        let machine = slot.pointee.machine
        connections.schedule(slot, in: ConnectionSlot.TimerList(machine.timeoutKind), deadline: machine.deadline)
    }

    // MARK: Draining

    /// Stops accepting and lets every connection finish: requests in progress are answered
    /// with `Connection: close`, idle connections get a short grace period.
    mutating func beginDraining() {
        isDraining = true
        if let listener {
            // Connections already in the accept queue were accepted by the kernel on our behalf;
            // closing the socket would reset them, so take them first.
            if acceptPaused { resumeAccepting() }
            acceptConnections(ignoringLimits: true)
            selector.remove(listener.descriptor)
            listener.close()
            self.listener = nil
        }
        var waiting: [UnsafeMutablePointer<ConnectionSlot>] = []
        for list in [ConnectionSlot.TimerList.idle, .request] {
            var cursor = connections.first(in: list)
            while let slot = cursor {
                waiting.append(slot)
                cursor = connections.following(slot)
            }
        }
        for slot in waiting {
            slot.pointee.machine.startDraining(now: now)
            synchronizeTimer(slot)
        }
    }
}
