import HTTPServer

/// Builds log lines in either format, field by field, into a byte buffer:
/// JSON `{"time":"…","level":"info","event":"request","status":200}` or text
/// `2026-12-04T15:00:00.123Z info request status=200`. Values that came from a client are escaped
/// and length-capped, so a log line can never be split or forged by a request.
public struct LogLineWriter: Sendable {
    public let format: LogFormat

    public init(format: LogFormat) {
        self.format = format
    }

    public func begin(_ buffer: inout ByteBuffer, time: WallClockTime, level: LogLevel, event: StaticString) {
        switch format {
        case .json:
            buffer.append(#"{"time":""#)
            appendTimestamp(time, to: &buffer)
            buffer.append(#"","level":""#)
            buffer.append(level.name)
            buffer.append(#"","event":""#)
            buffer.append(event)
            buffer.append(UInt8(ascii: "\""))
        case .text:
            appendTimestamp(time, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            buffer.append(level.name)
            buffer.append(UInt8(ascii: " "))
            buffer.append(event)
        }
    }

    private func appendTimestamp(_ time: WallClockTime, to buffer: inout ByteBuffer) {
        _ = buffer.append(maximumCount: UTCTimestamp.length) { destination in
            UTCTimestamp.format(time, into: destination)
            return UTCTimestamp.length
        }
    }

    public func end(_ buffer: inout ByteBuffer) {
        if format == .json { buffer.append(UInt8(ascii: "}")) }
        buffer.append(UInt8(ascii: "\n"))
    }

    private func key(_ buffer: inout ByteBuffer, _ name: StaticString) {
        switch format {
        case .json:
            buffer.append(#",""#)
            buffer.append(name)
            buffer.append(#"":"#)
        case .text:
            buffer.append(UInt8(ascii: " "))
            buffer.append(name)
            buffer.append(UInt8(ascii: "="))
        }
    }

    /// A string field from untrusted bytes, escaped and capped at `limit` bytes.
    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, bytes: UnsafeRawBufferPointer, limit: Int = 256) {
        key(&buffer, name)
        buffer.append(UInt8(ascii: "\""))
        JSONString.appendEscaped(bytes, limit: limit, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, string: String) {
        key(&buffer, name)
        buffer.append(UInt8(ascii: "\""))
        JSONString.appendEscaped(string, to: &buffer)
        buffer.append(UInt8(ascii: "\""))
    }

    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, literal: StaticString) {
        key(&buffer, name)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(literal)
        buffer.append(UInt8(ascii: "\""))
    }

    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, integer: Int) {
        key(&buffer, name)
        if integer < 0 {
            buffer.append(UInt8(ascii: "-"))
            buffer.appendDecimal(-integer)
        } else {
            buffer.appendDecimal(integer)
        }
    }

    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, address: IPAddress) {
        key(&buffer, name)
        buffer.append(UInt8(ascii: "\""))
        buffer.append(address: address)
        buffer.append(UInt8(ascii: "\""))
    }

    /// A field whose value is already a complete JSON value (JSON format) or text (text format).
    public func field(_ buffer: inout ByteBuffer, _ name: StaticString, rawJSON: String) {
        key(&buffer, name)
        buffer.append(string: rawJSON)
    }
}
