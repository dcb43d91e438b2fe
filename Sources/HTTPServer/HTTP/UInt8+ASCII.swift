extension UInt8 {
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
