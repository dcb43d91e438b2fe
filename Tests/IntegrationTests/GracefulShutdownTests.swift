import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM under a steady load of keep-alive clients: every request that was sent and answered
/// is answered completely, no client sees a reset or a truncated response, and the process
/// exits 0 within the shutdown timeout.
@Suite("Graceful shutdown under load")
struct GracefulShutdownTests {
    struct Tally: Sendable {
        var completed = 0
        var completedAfterSignal = 0
        var inFlightAtSignal = 0
        /// Response started but the connection ended before its last byte.
        var truncated = 0
        /// ECONNRESET while a request was outstanding.
        var reset = 0
        /// The connection closed after a request was sent and before any byte of its response.
        var unanswered = 0
        /// New connections refused once the listener closed: expected, not a failure.
        var refused = 0
    }

    @Test func noRequestIsLostOrTruncated() throws {
        let clients = 16
        let service = try ServiceProcess.start(environment: ["THREADS": "2", "SHUTDOWN_TIMEOUT": "10", "ACCESS_LOG": "off"])
        let port = service.port
        let state = LoadState()

        for _ in 0..<clients {
            Thread {
                defer { state.finished.add(1, ordering: .relaxed) }
                runClient(port: port, state: state)
            }.start()
        }
        // Let the load settle, then stop the service in the middle of it.
        let loadStart = Date()
        while state.tally.withLock({ $0.completed }) < 2_000, Date().timeIntervalSince(loadStart) < 20 { usleep(10_000) }
        let inFlight = state.outstanding.load(ordering: .relaxed)
        state.signalled.store(true, ordering: .relaxed)
        let stopStart = Date()
        service.signal(SIGTERM)
        let status = service.waitForExit(timeout: 20)
        let stopSeconds = Date().timeIntervalSince(stopStart)
        let deadline = Date().addingTimeInterval(20)
        while state.finished.load(ordering: .relaxed) < clients, Date() < deadline { usleep(10_000) }

        let result = state.tally.withLock { $0 }
        print(
            "graceful shutdown: \(clients) keep-alive clients, \(inFlight) requests in flight at SIGTERM, "
                + "\(result.completed) completed (\(result.completedAfterSignal) after SIGTERM), truncated \(result.truncated), "
                + "reset \(result.reset), unanswered \(result.unanswered), refused new connections \(result.refused), "
                + "exit \(status.map(String.init) ?? "none") after \(String(format: "%.3f", stopSeconds)) s")
        #expect(status == 0)
        #expect(stopSeconds < 10)
        #expect(state.finished.load(ordering: .relaxed) == clients)
        #expect(result.completed >= 2_000)
        #expect(result.truncated == 0)
        #expect(result.reset == 0)
        #expect(result.unanswered == 0)
        #expect(service.events("drained").count == 1)
    }

    /// One keep-alive client: request, response, repeat; reconnect after `Connection: close`;
    /// stop when the service refuses connections after the signal.
    func runClient(port: UInt16, state: LoadState) {
        let request = Array("GET / HTTP/1.1\r\nHost: load\r\n\r\n".utf8)
        while true {
            guard let connection = try? RawConnection(port: port) else {
                state.tally.withLock { $0.refused += 1 }
                if state.signalled.load(ordering: .relaxed) { return }
                usleep(1_000)
                continue
            }
            var open = true
            while open {
                do {
                    try connection.send(request)
                } catch {
                    // The server closed an idle connection before this request was written:
                    // the request never left, so it is not lost. Reconnect.
                    break
                }
                let sentAfterSignal = state.signalled.load(ordering: .relaxed)
                state.outstanding.add(1, ordering: .relaxed)
                let outcome = readOne(connection)
                state.outstanding.subtract(1, ordering: .relaxed)
                state.tally.withLock { tally in
                    switch outcome {
                    case .complete(let closes):
                        tally.completed += 1
                        if sentAfterSignal || state.signalled.load(ordering: .relaxed) { tally.completedAfterSignal += 1 }
                        open = !closes
                    case .truncated: tally.truncated += 1; open = false
                    case .reset: tally.reset += 1; open = false
                    case .unanswered: tally.unanswered += 1; open = false
                    }
                }
            }
        }
    }

    /// What the client threads share.
    final class LoadState: Sendable {
        let tally = Mutex(Tally())
        let signalled = Atomic<Bool>(false)
        let outstanding = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
    }

    enum Outcome {
        case complete(closes: Bool)
        case truncated
        case reset
        case unanswered
    }

    func readOne(_ connection: RawConnection) -> Outcome {
        do {
            let response = try connection.readResponse(timeout: 15)
            guard response.status == 200, response.bodyText.hasPrefix(#"{"timestamp":""#) else { return .truncated }
            return .complete(closes: response.header("Connection") == "close")
        } catch {
            let text = "\(error)"
            if text.contains("reset") { return .reset }
            return text.contains("got \"\"") ? .unanswered : .truncated
        }
    }
}
