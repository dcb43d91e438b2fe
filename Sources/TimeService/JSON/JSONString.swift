import HTTPServer

/// Writes JSON string contents (RFC 8259) from raw bytes that may come from a client.
public enum JSONString {
    /// Appends `bytes` as the inside of a JSON string, at most `limit` input bytes. Quotes,
    /// backslashes and control characters are escaped; bytes above 0x7E are escaped as
    /// `\u00XX` (read as Latin-1), so the output is valid UTF-8 and ASCII whatever was sent.
    public static func appendEscaped(_ bytes: UnsafeRawBufferPointer, limit: Int = .max, to buffer: inout ByteBuffer) {
        let hex: StaticString = "0123456789abcdef"
        for byte in bytes.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\""):
                buffer.append("\\\"")
            case UInt8(ascii: "\\"):
                buffer.append("\\\\")
            case 0x20..<0x7F:
                buffer.append(byte)
            case 0x0A:
                buffer.append("\\n")
            case 0x0D:
                buffer.append("\\r")
            case 0x09:
                buffer.append("\\t")
            default:
                buffer.append("\\u00")
                buffer.append(hex.utf8Start[Int(byte >> 4)])
                buffer.append(hex.utf8Start[Int(byte & 0xf)])
            }
        }
    }

    public static func appendEscaped(_ string: String, to buffer: inout ByteBuffer) {
        var string = string
        string.withUTF8 { utf8 in
            // Non-ASCII UTF-8 is valid in JSON as is; only escape what must be.
            for byte in utf8 {
                if byte >= 0x80 {
                    buffer.append(byte)
                } else {
                    withUnsafeBytes(of: byte) { appendEscaped($0, to: &buffer) }
                }
            }
        }
    }
}
