// libFuzzer entry point for the HTTP request parser, the chunked decoder and the connection
// state machine. Built by scripts/fuzz.sh together with the sources of Sources/HTTPServer/HTTP
// and Sources/HTTPServer/Connection (they are pure Swift and need nothing else).
//
// Besides crashes and sanitizer reports, it checks invariants the server relies on:
// a parse result does not depend on how the bytes were split, a complete head never claims
// more bytes than it was given, every range it reports lies inside the input, and the state
// machine never consumes more than it is given.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let parser = HTTPRequestParser(limits: HTTPParserLimits(maxRequestLineLength: 512, maxHeadLength: 2048, maxHeaderFields: 16, maxBodyLength: 4096))
    var fields = HTTPHeaderIndex(capacity: 16)

    // Whole input.
    var progress = HTTPParseProgress()
    let whole = parser.parse(bytes, progress: &progress, fields: &fields)
    if case .complete(let head) = whole {
        precondition(head.headLength <= size)
        precondition(head.target.upperBound <= head.headLength && head.path.upperBound <= head.headLength)
        precondition(head.path.lowerBound >= head.target.lowerBound || head.path.isEmpty)
        for field in fields.fields {
            precondition(field.nameStart < field.nameEnd && Int(field.valueEnd) <= head.headLength)
            precondition(field.valueStart <= field.valueEnd)
        }
    }

    // The same input in two pieces, with progress carried, gives the same result.
    if size > 1 {
        let split = Int(bytes[0]) % size
        if split > 0 {
            var pieces = HTTPParseProgress()
            let first = parser.parse(UnsafeRawBufferPointer(rebasing: bytes[..<split]), progress: &pieces, fields: &fields)
            switch first {
            case .incomplete:
                // The carried progress may defer checking a line until its line feed arrives,
                // so an error can still read as incomplete; anything final must agree.
                let second = parser.parse(bytes, progress: &pieces, fields: &fields)
                if second != .incomplete || whole == .incomplete || { if case .complete = whole { return true } else { return false } }() {
                    precondition(second == whole, "split parse differs")
                }
            case .invalid:
                precondition(first == whole, "an early error must be the final error")
            case .complete(let head):
                // Complete within the prefix: the content starts at or before the split.
                guard case .complete(let wholeHead) = whole else { preconditionFailure("prefix complete, whole not") }
                precondition(head.headLength == wholeHead.headLength)
            }
        }
    }

    // Chunked content.
    var decoder = ChunkedBodyDecoder(maxBodyLength: 4096)
    let (consumed, _) = decoder.consume(bytes)
    precondition(consumed <= size)

    // The state machine over the input, delivered in two pieces.
    var machine = HTTPConnectionStateMachine(parser: parser, timeouts: HTTPConnectionTimeouts(), now: MonotonicTime(milliseconds: 0))
    var buffered: [UInt8] = []
    let cut = size / 2
    for piece in [bytes[..<cut], bytes[cut...]] {
        buffered += piece
        var rounds = 0
        loop: while rounds < 10_000 {
            rounds += 1
            let input = buffered
            let (action, used) = input.withUnsafeBytes { machine.process($0, now: MonotonicTime(milliseconds: 1), fields: &fields) }
            precondition(used >= 0 && used <= input.count)
            buffered.removeFirst(used)
            switch action {
            case .respond(_, let close): if close { break loop }
            case .reject, .close, .waitForInput: break loop
            }
        }
        precondition(rounds < 10_000, "the state machine made no progress")
    }
    _ = machine.timeoutPassed(now: MonotonicTime(milliseconds: 1_000_000))
    return 0
}
