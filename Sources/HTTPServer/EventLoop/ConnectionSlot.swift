/// Everything an event loop knows about one open connection.
struct ConnectionSlot {
    enum Phase: UInt8 {
        case closed
        case open
        /// The final response is queued; close once it is written.
        case closingAfterFlush
        /// Our side is shut down; reading and discarding until the peer closes or the linger
        /// timeout passes, so unread client bytes cannot turn the close into a reset.
        case lingering
    }

    enum TimerList: UInt8 {
        case idle, request, drain, linger, none
    }

    var descriptor: Int32 = -1
    /// Bumped on every close, and part of every epoll token, so an event queued for a closed
    /// descriptor is never delivered to a new connection that reuses the number.
    var generation: UInt32 = 0
    var phase = Phase.closed
    /// After the final response: close without lingering, because the client asked to close and
    /// sent nothing more.
    var closeWithoutLingering = false
    /// What the connection waits for. Before the descriptor is registered with epoll this is
    /// what it will be registered with.
    var interest = EpollSelector.Interest.readable
    var registered = false
    var noDelay = false
    var machine: HTTPConnectionStateMachine
    var peer = IPAddress.ipv4Any
    /// The start of a request whose head has not fully arrived. Empty (no allocation) for nearly
    /// every connection, which is what keeps idle connections small.
    var pendingInput: [UInt8] = []
    /// Response bytes the socket would not take yet.
    var pendingOutput: [UInt8] = []
    var pendingOutputOffset = 0

    var timerList = TimerList.none
    var timerDeadline = MonotonicTime.never
    var previous: Int32 = -1
    var next: Int32 = -1

    var token: UInt64 {
        UInt64(generation) << 32 | UInt64(UInt32(bitPattern: descriptor))
    }
}
