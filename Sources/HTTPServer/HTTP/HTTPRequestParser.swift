/// A strict, incremental HTTP/1.1 request-head parser (RFC 9110, RFC 9112).
///
/// Bytes in; a request head, "need more", or a typed error out. The parser does no I/O, keeps no
/// buffer and allocates nothing: it reads the bytes the caller holds and records field locations
/// in the caller's `HTTPHeaderIndex`. Like picohttpparser it re-parses a partial head from its
/// start when more bytes arrive, which keeps the common case - a whole request in one read - a
/// single straight pass; `HTTPParseProgress` makes the slow case linear.
///
/// It is strict where leniency lets a request be framed differently by a proxy and by this server
/// (request smuggling): bare LF, obs-fold, whitespace before a colon, control characters,
/// conflicting `Content-Length`/`Transfer-Encoding` and a missing or repeated `Host` are errors,
/// never guessed at. Errors are reported as soon as the offending byte is seen, even before the
/// head is complete, so garbage such as a TLS ClientHello is rejected at its first byte.
public struct HTTPRequestParser: Sendable {
    public var limits: HTTPParserLimits

    /// Below this size a partial head is always re-parsed in full, so that garbage is rejected
    /// from its first bytes; above it, only when a new line has arrived.
    @usableFromInline static let eagerValidationLength = 64
    /// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
    @usableFromInline static let maxLeadingEmptyLines = 4

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        precondition(limits.maxHeaderFields > 0 && limits.maxRequestLineLength > 0)
        self.limits = limits
    }

    /// Parses the request head at the start of `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: the request from its first byte; anything after the head is left alone.
    ///   - progress: state carried between calls on the same growing request; start each
    ///     request with a fresh value.
    ///   - fields: receives the field line locations of a complete head.
    public func parse(
        _ bytes: UnsafeRawBufferPointer,
        progress: inout HTTPParseProgress,
        fields: inout HTTPHeaderIndex
    ) -> HTTPParseResult {
        let count = bytes.count
        if progress.examined >= Self.eagerValidationLength, progress.examined < count,
            count <= (progress.requestLineComplete ? limits.maxHeadLength : min(limits.maxRequestLineLength, limits.maxHeadLength)),
            !bytes.containsLineFeed(in: (progress.examined - 1)..<count)
        {
            // No new line and within the limits: nothing new can be decided yet. (Past a limit,
            // the full parse below reports whichever error comes first in the bytes, as it
            // would for the same bytes arriving at once.)
            progress.examined = count
            return .incomplete
        }
        var requestLineComplete = false
        let result = parseHead(bytes, requestLineComplete: &requestLineComplete, fields: &fields)
        if case .incomplete = result {
            progress.examined = count
            progress.requestLineComplete = requestLineComplete
        }
        return result
    }

    @usableFromInline
    func incomplete(length: Int, requestLineComplete: Bool) -> HTTPParseResult {
        if !requestLineComplete && length > limits.maxRequestLineLength {
            return .invalid(.requestLineTooLong)
        }
        if length > limits.maxHeadLength {
            return .invalid(.headerSectionTooLarge)
        }
        return .incomplete
    }

    @usableFromInline
    func parseHead(
        _ bytes: UnsafeRawBufferPointer,
        requestLineComplete: inout Bool,
        fields: inout HTTPHeaderIndex
    ) -> HTTPParseResult {
        fields.removeAll()
        let count = bytes.count
        var index = 0

        var emptyLines = 0
        while index < count, bytes[index] == .carriageReturn || bytes[index] == .lineFeed {
            guard bytes[index] == .carriageReturn, emptyLines < Self.maxLeadingEmptyLines else {
                return .invalid(.invalidRequestLine)
            }
            guard index + 1 < count else { return .incomplete }
            guard bytes[index + 1] == .lineFeed else { return .invalid(.invalidRequestLine) }
            index += 2
            emptyLines += 1
        }
        let lineStart = index

        // method SP
        while index < count, ByteClass.isToken(bytes[index]) { index += 1 }
        guard index < count else { return incomplete(length: count - lineStart, requestLineComplete: false) }
        guard bytes[index] == .space else {
            let byte = bytes[index]
            return .invalid(byte == .carriageReturn || byte == .lineFeed ? .invalidRequestLine : .invalidMethod)
        }
        guard index > lineStart else { return .invalid(.invalidRequestLine) }
        let method = HTTPMethod.classify(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index]))
        index += 1

        // request-target SP
        let targetStart = index
        var queryStart = -1
        while index < count {
            let byte = bytes[index]
            guard ByteClass.isTargetCharacter(byte) else { break }
            if byte == .questionMark, queryStart < 0 { queryStart = index }
            if byte == .numberSign { return .invalid(.invalidTarget) }
            index += 1
        }
        guard index < count else { return incomplete(length: count - lineStart, requestLineComplete: false) }
        guard bytes[index] == .space else {
            let byte = bytes[index]
            return .invalid(byte == .carriageReturn || byte == .lineFeed ? .invalidRequestLine : .invalidTarget)
        }
        guard index > targetStart else { return .invalid(.invalidRequestLine) }
        let target = targetStart..<index
        index += 1

        // HTTP-version CRLF
        let versionStart = index
        let pattern: StaticString = "HTTP/0.0"
        while index < count, index - versionStart < 8 {
            let byte = bytes[index]
            let expected = pattern.utf8Start[index - versionStart]
            let matches = expected == UInt8(ascii: "0") ? (byte >= 0x30 && byte <= 0x39) : byte == expected
            guard matches else { return .invalid(.invalidVersion) }
            index += 1
        }
        guard index + 1 < count else { return incomplete(length: count - lineStart, requestLineComplete: false) }
        guard bytes[index] == .carriageReturn else {
            return .invalid(ByteClass.isToken(bytes[index]) ? .invalidVersion : .invalidRequestLine)
        }
        guard bytes[index + 1] == .lineFeed else { return .invalid(.invalidRequestLine) }
        guard index - lineStart <= limits.maxRequestLineLength else { return .invalid(.requestLineTooLong) }
        let major = bytes[versionStart + 5] &- 0x30
        let minor = bytes[versionStart + 7] &- 0x30
        let version: HTTPVersion
        switch (major, minor) {
        case (1, 1): version = .http1_1
        case (1, 0): version = .http1_0
        default: return .invalid(.unsupportedVersion)
        }
        index += 2
        requestLineComplete = true

        guard let path = Self.path(of: bytes, target: target, queryStart: queryStart, method: method) else {
            return .invalid(.invalidTarget)
        }

        // field lines, then the empty line
        var framing = FramingFields()
        while true {
            guard index < count else { return incomplete(length: count, requestLineComplete: true) }
            let first = bytes[index]
            if first == .carriageReturn {
                guard index + 1 < count else { return incomplete(length: count, requestLineComplete: true) }
                guard bytes[index + 1] == .lineFeed else { return .invalid(.invalidHeaderName) }
                index += 2
                break
            }
            if first == .space || first == .tab { return .invalid(.obsoleteLineFolding) }

            let nameStart = index
            while index < count, ByteClass.isToken(bytes[index]) { index += 1 }
            guard index < count else { return incomplete(length: count, requestLineComplete: true) }
            guard bytes[index] == .colon else {
                let byte = bytes[index]
                return .invalid(byte == .space || byte == .tab ? .whitespaceBeforeColon : .invalidHeaderName)
            }
            guard index > nameStart else { return .invalid(.invalidHeaderName) }
            let nameEnd = index
            index += 1

            while index < count, bytes[index] == .space || bytes[index] == .tab { index += 1 }
            let valueStart = index
            while index < count, ByteClass.isFieldValueCharacter(bytes[index]) { index += 1 }
            guard index + 1 < count else {
                if index < count, bytes[index] != .carriageReturn { return .invalid(.invalidHeaderValue) }
                return incomplete(length: count, requestLineComplete: true)
            }
            guard bytes[index] == .carriageReturn, bytes[index + 1] == .lineFeed else {
                return .invalid(.invalidHeaderValue)
            }
            var valueEnd = index
            while valueEnd > valueStart, bytes[valueEnd - 1] == .space || bytes[valueEnd - 1] == .tab {
                valueEnd -= 1
            }
            index += 2

            guard index <= limits.maxHeadLength else { return .invalid(.headerSectionTooLarge) }
            guard fields.count < limits.maxHeaderFields, fields.count < fields.capacity else {
                return .invalid(.tooManyHeaderFields)
            }
            fields.append(
                HTTPFieldLocation(
                    nameStart: Int32(truncatingIfNeeded: nameStart),
                    nameEnd: Int32(truncatingIfNeeded: nameEnd),
                    valueStart: Int32(truncatingIfNeeded: valueStart),
                    valueEnd: Int32(truncatingIfNeeded: valueEnd)))
            if let error = framing.record(
                name: UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]),
                value: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
            {
                return .invalid(error)
            }
        }

        switch framing.finish(version: version, maxBodyLength: limits.maxBodyLength) {
        case .failure(let error):
            return .invalid(error)
        case .success(let body):
            let keepAlive =
                !framing.connectionClose && (version == .http1_1 || framing.connectionKeepAlive)
            return .complete(
                HTTPRequestHead(
                    method: method,
                    version: version,
                    target: target,
                    path: path,
                    headLength: index,
                    body: body,
                    keepAlive: keepAlive,
                    expectsContinue: framing.expectsContinue && body != .none))
        }
    }

    /// The path of a request-target (RFC 9112 §3.2), or nil when the target's form is invalid.
    @usableFromInline
    static func path(
        of bytes: UnsafeRawBufferPointer, target: Range<Int>, queryStart: Int, method: HTTPMethod
    ) -> Range<Int>? {
        let end = queryStart >= 0 ? queryStart : target.upperBound
        let first = bytes[target.lowerBound]
        if first == .slash {
            return method == .connect ? nil : target.lowerBound..<end
        }
        if first == .asterisk {
            return method == .options && target.count == 1 ? target : nil
        }
        if method == .connect {
            // authority-form: host ":" port.
            for index in target where !ByteClass.isHostCharacter(bytes[index]) { return nil }
            return target.lowerBound..<target.lowerBound
        }
        // absolute-form: scheme "://" authority path-abempty [ "?" query ]
        var index = target.lowerBound
        guard (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else { return nil }
        while index < end {
            let byte = bytes[index]
            let isSchemeCharacter =
                ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
                || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            guard isSchemeCharacter else { break }
            index += 1
        }
        guard end - index >= 3, bytes[index] == .colon, bytes[index + 1] == .slash, bytes[index + 2] == .slash
        else { return nil }
        index += 3
        let authorityStart = index
        while index < end, bytes[index] != .slash {
            guard ByteClass.isHostCharacter(bytes[index]) || bytes[index] == UInt8(ascii: "@") else { return nil }
            index += 1
        }
        guard index > authorityStart else { return nil }
        return index..<end
    }
}
