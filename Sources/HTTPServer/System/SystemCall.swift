#if canImport(Glibc)
import Glibc
#endif

/// Thin wrappers that turn the C convention (-1 and errno) into typed throws. Every call retries
/// EINTR, so no caller has to think about signals interrupting it.
public enum SystemCall {
    /// Runs a call returning -1 on failure until it is not interrupted.
    @inlinable @inline(__always)
    public static func retrying<Result: FixedWidthInteger>(
        _ name: @autoclosure () -> String,
        _ body: () -> Result
    ) throws(SystemError) -> Result {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(name(), code: code)
        }
    }

    /// Like `retrying`, for non-blocking descriptors: EAGAIN/EWOULDBLOCK is `.wouldBlock`.
    @inlinable @inline(__always)
    public static func nonBlocking<Result: FixedWidthInteger>(
        _ name: @autoclosure () -> String,
        _ body: () -> Result
    ) throws(SystemError) -> IOResult<Result> {
        while true {
            let result = body()
            if result >= 0 { return .done(result) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(name(), code: code)
        }
    }

    /// close(2) without retrying: on Linux the descriptor is released even when close reports
    /// EINTR, and retrying could close a descriptor another thread has just been given.
    public static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
