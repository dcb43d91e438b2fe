import CSystemShims
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread running one closure. Event loops each own a thread for their whole life, so a
/// plain pthread is all they need (no executor, no Dispatch).
public struct OSThread: Sendable {
    let handle: pthread_t

    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    public static func spawn(name: String, _ body: @escaping @Sendable () -> Void) throws(SystemError) -> OSThread {
        let start = Unmanaged.passRetained(Start(name: name, body)).toOpaque()
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { argument in
                let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
                start.name.withCString { sts_set_current_thread_name($0) }
                start.body()
                return nil
            }, start)
        guard result == 0 else {
            Unmanaged<Start>.fromOpaque(start).release()
            throw SystemError("pthread_create", code: result)
        }
        return OSThread(handle: handle)
    }

    public func join() {
        _ = pthread_join(handle, nil)
    }
}
