import CSystemShims
import HTTPServer
#if canImport(Glibc)
import Glibc
#endif

/// Request ids for requests that arrive without a usable `X-Request-Id`: 20 lower-case hex
/// digits - 8 random per process, 2 for the event loop, 10 counting - unique across loops and,
/// with high probability, across restarts. The id is kept as text and incremented in place, so
/// making one costs a few instructions.
public struct RequestIDGenerator: ~Copyable {
    public static let length = 20
    private let text: UnsafeMutablePointer<UInt8>

    public init(loopIndex: Int, processNonce: UInt32) {
        text = .allocate(capacity: Self.length)
        let hex: StaticString = "0123456789abcdef"
        for position in 0..<8 {
            text[position] = hex.utf8Start[Int(processNonce >> UInt32(28 - position * 4) & 0xf)]
        }
        text[8] = hex.utf8Start[(loopIndex >> 4) & 0xf]
        text[9] = hex.utf8Start[loopIndex & 0xf]
        for position in 10..<Self.length { text[position] = UInt8(ascii: "0") }
    }

    deinit {
        text.deallocate()
    }

    /// The next id, valid until the next call.
    public mutating func next() -> UnsafeRawBufferPointer {
        var position = Self.length - 1
        while position >= 10 {
            switch text[position] {
            case UInt8(ascii: "9"):
                text[position] = UInt8(ascii: "a")
                return current
            case UInt8(ascii: "f"):
                text[position] = UInt8(ascii: "0")
                position -= 1
            default:
                text[position] += 1
                return current
            }
        }
        return current
    }

    private var current: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: text, count: Self.length)
    }

    /// A random value for `processNonce`, from the kernel's CSPRNG.
    public static func randomNonce() -> UInt32 {
        sts_random_uint32()
    }

    /// Whether an incoming `X-Request-Id` may be echoed and logged as is: 1 to 128 characters of
    /// `A-Z a-z 0-9 - _ . :` (UUIDs, ULIDs, trace ids). Anything else is replaced, never echoed.
    public static func isSafe(_ value: UnsafeRawBufferPointer) -> Bool {
        guard !value.isEmpty, value.count <= 128 else { return false }
        for byte in value {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: ":"):
                continue
            default:
                return false
            }
        }
        return true
    }
}
