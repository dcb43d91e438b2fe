extension UInt8 {
    /// The value of an ASCII hex digit (either case), or nil.
    @inlinable
    var hexDigitValue: UInt8? {
        switch self {
        case 0x30...0x39: self - 0x30
        case 0x41...0x46: self - 0x41 + 10
        case 0x61...0x66: self - 0x61 + 10
        default: nil
        }
    }

    @usableFromInline static let tab: UInt8 = 0x09
    @usableFromInline static let lineFeed: UInt8 = 0x0A
    @usableFromInline static let carriageReturn: UInt8 = 0x0D
    @usableFromInline static let space: UInt8 = 0x20
    @usableFromInline static let colon: UInt8 = 0x3A
    @usableFromInline static let slash: UInt8 = 0x2F
    @usableFromInline static let questionMark: UInt8 = 0x3F
    @usableFromInline static let comma: UInt8 = 0x2C
    @usableFromInline static let semicolon: UInt8 = 0x3B
    @usableFromInline static let asterisk: UInt8 = 0x2A
    @usableFromInline static let numberSign: UInt8 = 0x23
}
