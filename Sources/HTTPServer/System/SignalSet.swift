#if canImport(Glibc)
import Glibc
#endif

/// Synchronous signal handling: the signals are blocked in every thread and one thread collects
/// them with `sigtimedwait`, so no code runs in a signal handler and no loop is interrupted.
public struct SignalSet: Sendable {
    public let signals: [Int32]

    public init(_ signals: [Int32]) {
        self.signals = signals
    }

    private func makeSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }

    /// Blocks the signals in the calling thread and in every thread it starts afterwards.
    public func block() {
        var set = makeSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for one of the (blocked) signals; nil when the timeout passes first.
    public func wait(timeoutMilliseconds: Int64?) -> Int32? {
        var set = makeSet()
        while true {
            let result: Int32
            if let timeoutMilliseconds {
                var timeout = timespec(
                    tv_sec: Int(max(0, timeoutMilliseconds) / 1000),
                    tv_nsec: Int(max(0, timeoutMilliseconds) % 1000) * 1_000_000)
                result = sigtimedwait(&set, nil, &timeout)
            } else {
                result = sigwaitinfo(&set, nil)
            }
            if result > 0 { return result }
            if errno == EAGAIN { return nil }
            // EINTR: interrupted by a signal outside the set; wait again.
        }
    }

    /// Ignores SIGPIPE process-wide: a peer that closes early must surface as EPIPE from a
    /// write, not kill the process.
    public static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}
