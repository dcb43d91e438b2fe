/// The life of one HTTP/1.1 connection, as a pure state machine: input bytes, the clock and the
/// server's drain signal go in; actions (respond, reject, wait, close) come out. It owns the
/// decisions - framing, keep-alive, which timeout applies and what happens when it passes - and
/// none of the I/O, so every rule can be tested without a socket and with a fake clock.
///
/// The event loop holds the bytes. It calls `process` with the unconsumed input until the
/// machine asks to wait or close, keeps any unconsumed tail (a partial head) for the next read,
/// and arms a timer for `deadline`.
public struct HTTPConnectionStateMachine: Sendable {
    public enum Action: Sendable, Hashable {
        /// A request to answer. Serialise the response (with `Connection: close` when
        /// `closeAfterResponse`); then, if closing, close gracefully once it is written.
        case respond(HTTPRequestHead, closeAfterResponse: Bool)
        /// Answer the error's status with `Connection: close`, then close gracefully. Nothing
        /// after the error can be framed reliably, so the rest of the input is dropped.
        case reject(HTTPParseError)
        /// Keep the unconsumed input (a partial head) and wait for more bytes or the deadline.
        case waitForInput
        /// Close gracefully: no request is in progress, or the one in progress cannot be answered.
        case close
    }

    /// Which of the configured timeouts the current deadline comes from. The event loop keeps one
    /// deadline list per kind; within a kind, later deadlines are always set later.
    public enum TimeoutKind: Sendable, Hashable {
        /// Waiting for the first byte of the next request on a kept-alive connection.
        case idle
        /// Waiting for the rest of a request that has started.
        case request
        /// Waiting, while the server drains, for a request already on its way.
        case drain
        /// Nothing to wait for: the connection is closing.
        case none
    }

    enum State: Sendable, Hashable {
        case awaitingRequest
        case discardingBody(remaining: Int)
        case discardingChunkedBody(ChunkedBodyDecoder)
        case closing
    }

    public let parser: HTTPRequestParser
    public let timeouts: HTTPConnectionTimeouts
    private(set) var state = State.awaitingRequest
    private var progress = HTTPParseProgress()
    /// When the first byte of the current request arrived; its head and content must be complete
    /// within the request timeout from then, however slowly they trickle in.
    private var requestStarted: MonotonicTime?
    public private(set) var isDraining = false
    public private(set) var deadline: MonotonicTime
    public private(set) var timeoutKind: TimeoutKind
    /// Requests answered on this connection; the event loop tunes a socket once it is reused.
    public private(set) var requestCount = 0

    public init(parser: HTTPRequestParser, timeouts: HTTPConnectionTimeouts, now: MonotonicTime) {
        self.parser = parser
        self.timeouts = timeouts
        self.deadline = now + timeouts.idleMilliseconds
        self.timeoutKind = .idle
    }

    /// Consumes input starting at the first byte not yet consumed and says what to do next.
    ///
    /// - Returns: the action, and how many bytes of `input` it consumed. After `.waitForInput`
    ///   the unconsumed bytes are the start of a request; pass them again, with whatever arrives
    ///   next appended.
    public mutating func process(
        _ input: UnsafeRawBufferPointer,
        now: MonotonicTime,
        fields: inout HTTPHeaderIndex
    ) -> (action: Action, consumed: Int) {
        var consumed = 0
        while true {
            let remaining = UnsafeRawBufferPointer(rebasing: input[consumed...])
            switch state {
            case .closing:
                return (.close, input.count)

            case .discardingBody(let length):
                let take = min(length, remaining.count)
                consumed += take
                guard take == length else {
                    state = .discardingBody(remaining: length - take)
                    return (.waitForInput, consumed)
                }
                finishRequest(now: now)

            case .discardingChunkedBody(var decoder):
                let (used, outcome) = decoder.consume(remaining)
                consumed += used
                switch outcome {
                case .needMore:
                    state = .discardingChunkedBody(decoder)
                    return (.waitForInput, consumed)
                case .done:
                    finishRequest(now: now)
                case .invalid:
                    // The response was already sent; nothing after this can be framed.
                    enterClosing()
                    return (.close, input.count)
                }

            case .awaitingRequest:
                guard !remaining.isEmpty else {
                    if requestStarted == nil { armIdleTimeout(now: now) }
                    return (.waitForInput, consumed)
                }
                if requestStarted == nil {
                    requestStarted = now
                    setDeadline(now + timeouts.requestMilliseconds, kind: .request)
                }
                switch parser.parse(remaining, progress: &progress, fields: &fields) {
                case .incomplete:
                    return (.waitForInput, consumed)
                case .invalid(let error):
                    enterClosing()
                    return (.reject(error), input.count)
                case .complete(let head):
                    consumed += head.headLength
                    requestCount += 1
                    progress = HTTPParseProgress()
                    // Answering before reading content that the client holds back for a
                    // `100 Continue` leaves the connection's framing unknown: close it.
                    let closeAfterResponse = !head.keepAlive || isDraining || head.expectsContinue
                    if closeAfterResponse {
                        enterClosing()
                        return (.respond(head, closeAfterResponse: true), consumed)
                    }
                    switch head.body {
                    case .none:
                        finishRequest(now: now)
                    case .length(let length):
                        state = .discardingBody(remaining: length)
                    case .chunked:
                        state = .discardingChunkedBody(ChunkedBodyDecoder(maxBodyLength: parser.limits.maxBodyLength))
                    }
                    return (.respond(head, closeAfterResponse: false), consumed)
                }
            }
        }
    }

    /// The deadline has passed (the event loop calls this when `now >= deadline`).
    public mutating func timeoutPassed(now: MonotonicTime) -> Action? {
        guard now >= deadline else { return nil }
        switch (state, timeoutKind) {
        case (.awaitingRequest, .request) where requestStarted != nil:
            enterClosing()
            return .reject(.requestTimeout)
        case (.closing, _):
            return nil
        default:
            // Idle, draining, or stalled in content whose response was already sent.
            enterClosing()
            return .close
        }
    }

    /// The peer closed its side: nothing more will arrive, so there is nothing more to answer.
    public mutating func inputEnded() -> Action {
        enterClosing()
        return .close
    }

    /// The server is shutting down. Requests in progress are answered with `Connection: close`;
    /// an idle connection gets a short grace period for a request that may already be in flight,
    /// so that the client does not see its request refused.
    public mutating func startDraining(now: MonotonicTime) {
        guard !isDraining else { return }
        isDraining = true
        if case .awaitingRequest = state, requestStarted == nil {
            setDeadline(now + timeouts.drainIdleMilliseconds, kind: .drain)
        }
    }

    private mutating func finishRequest(now: MonotonicTime) {
        state = .awaitingRequest
        requestStarted = nil
        progress = HTTPParseProgress()
        armIdleTimeout(now: now)
    }

    private mutating func armIdleTimeout(now: MonotonicTime) {
        if isDraining {
            // Keep the drain deadline; the connection was already given its grace period.
            if timeoutKind != .drain { setDeadline(now + timeouts.drainIdleMilliseconds, kind: .drain) }
        } else if timeoutKind != .idle || deadline != now + timeouts.idleMilliseconds {
            setDeadline(now + timeouts.idleMilliseconds, kind: .idle)
        }
    }

    private mutating func enterClosing() {
        state = .closing
        setDeadline(.never, kind: .none)
    }

    private mutating func setDeadline(_ deadline: MonotonicTime, kind: TimeoutKind) {
        self.deadline = deadline
        self.timeoutKind = kind
    }
}
