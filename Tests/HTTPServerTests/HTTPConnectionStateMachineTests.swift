import Testing

@testable import HTTPServer

/// Drives a state machine the way the event loop does, with a fake clock, and records what it
/// asked for.
struct ConnectionDriver: ~Copyable {
    enum Step: Equatable, CustomStringConvertible {
        case respond(path: String, close: Bool)
        case reject(HTTPParseError)
        case wait
        case close

        var description: String {
            switch self {
            case .respond(let path, let close): "respond(\(path), close: \(close))"
            case .reject(let error): "reject(\(error))"
            case .wait: "wait"
            case .close: "close"
            }
        }
    }

    var machine: HTTPConnectionStateMachine
    var buffered: [UInt8] = []
    var now = MonotonicTime(milliseconds: 1_000)
    var fields = HTTPHeaderIndex(capacity: 100)

    static let timeouts = HTTPConnectionTimeouts(
        idleMilliseconds: 75_000, requestMilliseconds: 10_000, drainIdleMilliseconds: 500, lingerMilliseconds: 2_000)

    init(limits: HTTPParserLimits = HTTPParserLimits()) {
        machine = HTTPConnectionStateMachine(
            parser: HTTPRequestParser(limits: limits), timeouts: Self.timeouts, now: MonotonicTime(milliseconds: 1_000))
    }

    /// Delivers bytes and runs the machine until it waits or closes.
    mutating func receive(_ text: String) -> [Step] {
        receive(Array(text.utf8))
    }

    mutating func receive(_ bytes: [UInt8]) -> [Step] {
        buffered += bytes
        var steps: [Step] = []
        while true {
            let input = buffered
            let (action, consumed) = input.withUnsafeBytes { raw in
                machine.process(raw, now: now, fields: &fields)
            }
            switch action {
            case .respond(let head, let close):
                let start = consumed - head.headLength
                let path = String(decoding: input[(start + head.path.lowerBound)..<(start + head.path.upperBound)], as: UTF8.self)
                steps.append(.respond(path: path, close: close))
                buffered.removeFirst(consumed)
                if close { return steps }
            case .reject(let error):
                steps.append(.reject(error))
                buffered.removeAll()
                return steps
            case .waitForInput:
                buffered.removeFirst(consumed)
                steps.append(.wait)
                return steps
            case .close:
                buffered.removeAll()
                steps.append(.close)
                return steps
            }
        }
    }

    mutating func advance(milliseconds: Int64) -> HTTPConnectionStateMachine.Action? {
        now = now + milliseconds
        return machine.timeoutPassed(now: now)
    }
}

@Suite("Connection state machine")
struct HTTPConnectionStateMachineTests {
    let get = "GET / HTTP/1.1\r\nHost: a\r\n\r\n"

    @Test func answersARequestAndWaitsIdle() {
        var driver = ConnectionDriver()
        #expect(driver.receive(get) == [.respond(path: "/", close: false), .wait])
        #expect(driver.machine.timeoutKind == .idle)
        #expect(driver.machine.deadline == driver.now + 75_000)
        #expect(driver.machine.requestCount == 1)
    }

    @Test func answersPipelinedRequestsInOrder() {
        var driver = ConnectionDriver()
        let steps = driver.receive(
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        #expect(steps == [.respond(path: "/a", close: false), .respond(path: "/b", close: false), .respond(path: "/c", close: true)])
    }

    @Test func keepsAPartialHeadForLater() {
        var driver = ConnectionDriver()
        #expect(driver.receive("GET /x HTTP/1.1\r\nHo") == [.wait])
        #expect(driver.buffered.count == 19)
        #expect(driver.machine.timeoutKind == .request)
        #expect(driver.receive("st: a\r\n\r\n") == [.respond(path: "/x", close: false), .wait])
    }

    @Test func requestTimeoutCountsFromTheFirstByte() {
        var driver = ConnectionDriver()
        _ = driver.receive("G")
        let deadline = driver.machine.deadline
        #expect(deadline == driver.now + 10_000)
        driver.now = driver.now + 6_000
        _ = driver.receive("ET / HTTP/1.1\r\n")  // trickling does not extend the deadline
        #expect(driver.machine.deadline == deadline)
        #expect(driver.advance(milliseconds: 3_999) == nil)
        #expect(driver.advance(milliseconds: 1) == .reject(.requestTimeout))
    }

    @Test func idleTimeoutCloses() {
        var driver = ConnectionDriver()
        _ = driver.receive(get)
        #expect(driver.advance(milliseconds: 74_999) == nil)
        #expect(driver.advance(milliseconds: 1) == .close)
    }

    @Test func newConnectionWaitsIdle() {
        let driver = ConnectionDriver()
        #expect(driver.machine.timeoutKind == .idle)
        #expect(driver.machine.deadline == MonotonicTime(milliseconds: 76_000))
    }

    @Test func discardsAContentLengthBodyAcrossReads() {
        var driver = ConnectionDriver()
        #expect(driver.receive("POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234") == [.respond(path: "/p", close: false), .wait])
        #expect(driver.buffered.isEmpty)
        #expect(driver.machine.timeoutKind == .request)
        #expect(driver.receive("56789" + get) == [.respond(path: "/", close: false), .wait])
    }

    @Test func discardsAChunkedBodyAcrossReads() {
        var driver = ConnectionDriver()
        #expect(driver.receive("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel") == [.respond(path: "/", close: false), .wait])
        #expect(driver.receive("lo\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n") == [.respond(path: "/next", close: false), .wait])
    }

    @Test func aBodyIsNeverReadAsARequest() {
        var driver = ConnectionDriver()
        let smuggled = "GET /admin HTTP/1.1\r\nHost: a\r\n\r\n"
        let steps = driver.receive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(smuggled.utf8.count)\r\n\r\n" + smuggled)
        #expect(steps == [.respond(path: "/", close: false), .wait])
    }

    @Test func malformedChunkedBodyCloses() {
        var driver = ConnectionDriver()
        let steps = driver.receive("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
        #expect(steps == [.respond(path: "/", close: false), .close])
    }

    @Test func stalledBodyCloses() {
        var driver = ConnectionDriver()
        _ = driver.receive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0")
        #expect(driver.advance(milliseconds: 10_000) == .close)
    }

    @Test func connectionCloseEndsTheConnection() {
        var driver = ConnectionDriver()
        #expect(driver.receive("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + get) == [.respond(path: "/", close: true)])
        #expect(driver.machine.timeoutKind == .none)
        #expect(driver.receive(get) == [.close])
    }

    @Test func http10ClosesUnlessAskedToKeepAlive() {
        var driver = ConnectionDriver()
        #expect(driver.receive("GET / HTTP/1.0\r\n\r\n") == [.respond(path: "/", close: true)])
        var keptAlive = ConnectionDriver()
        #expect(keptAlive.receive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") == [.respond(path: "/", close: false), .wait])
    }

    @Test func expectContinueClosesAfterTheResponse() {
        var driver = ConnectionDriver()
        let steps = driver.receive("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
        #expect(steps == [.respond(path: "/", close: true)])
    }

    @Test func rejectsMalformedRequestsAndDropsTheRest() {
        var driver = ConnectionDriver()
        let steps = driver.receive(get + "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + get)
        #expect(steps == [.respond(path: "/", close: false), .reject(.invalidHost)])
        #expect(driver.machine.timeoutKind == .none)
    }

    @Test func rejectsARequestLineOverTheLimitWhileItArrives() {
        var driver = ConnectionDriver(limits: HTTPParserLimits(maxRequestLineLength: 100))
        #expect(driver.receive("GET /" + String(repeating: "a", count: 90)) == [.wait])
        #expect(driver.receive(String(repeating: "a", count: 20)) == [.reject(.requestLineTooLong)])
    }

    @Test func drainingGivesIdleConnectionsAGracePeriod() {
        var driver = ConnectionDriver()
        _ = driver.receive(get)
        driver.machine.startDraining(now: driver.now)
        #expect(driver.machine.timeoutKind == .drain)
        #expect(driver.machine.deadline == driver.now + 500)
        #expect(driver.advance(milliseconds: 499) == nil)
        #expect(driver.advance(milliseconds: 1) == .close)
    }

    @Test func drainingAnswersARequestInFlightWithClose() {
        var driver = ConnectionDriver()
        _ = driver.receive(get)
        driver.machine.startDraining(now: driver.now)
        driver.now = driver.now + 100
        #expect(driver.receive(get + get) == [.respond(path: "/", close: true)])
    }

    @Test func drainingLetsAPartialRequestFinish() {
        var driver = ConnectionDriver()
        _ = driver.receive("GET / HTTP/1.1\r\n")
        let deadline = driver.machine.deadline
        driver.machine.startDraining(now: driver.now)
        #expect(driver.machine.timeoutKind == .request)
        #expect(driver.machine.deadline == deadline)
        #expect(driver.receive("Host: a\r\n\r\n") == [.respond(path: "/", close: true)])
    }

    @Test func drainingBetweenBodyAndNextRequestClosesAfterIt() {
        var driver = ConnectionDriver()
        _ = driver.receive("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n")
        driver.machine.startDraining(now: driver.now)
        #expect(driver.receive("abc") == [.wait])
        #expect(driver.machine.timeoutKind == .drain)
    }

    @Test func endOfInputCloses() {
        var driver = ConnectionDriver()
        _ = driver.receive("GET / HTT")
        #expect(driver.machine.inputEnded() == .close)
        #expect(driver.machine.timeoutKind == .none)
    }

    @Test func timeoutBeforeTheDeadlineDoesNothing() {
        var driver = ConnectionDriver()
        #expect(driver.machine.timeoutPassed(now: driver.now) == nil)
    }
}
