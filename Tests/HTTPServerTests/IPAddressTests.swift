import Testing

@testable import HTTPServer

@Suite("IP addresses")
struct IPAddressTests {
    /// Input, and its canonical text (RFC 5952 for IPv6); nil when the input must be rejected.
    static let cases: [(String, String?)] = [
        ("0.0.0.0", "0.0.0.0"),
        ("203.0.113.7", "203.0.113.7"),
        ("255.255.255.255", "255.255.255.255"),
        ("::", "::"),
        ("::1", "::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // first of two equal runs
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // one zero group is not compressed
        ("2001:db8::", "2001:db8::"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),  // the longest run wins
        ("fe80::1:2", "fe80::1:2"),
        ("::ffff:10.0.0.5", "10.0.0.5"),  // unmapped by `unmapped`, see below
        ("::ffff:a00:5", "10.0.0.5"),
        ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
        ("", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("256.0.0.1", nil), ("01.2.3.4", nil), ("1.2.3.-4", nil),
        ("1..2.3", nil), (" 1.2.3.4", nil), ("1.2.3.4 ", nil), ("a.b.c.d", nil), ("1:2:3:4:5:6:7:8:9", nil),
        ("1::2::3", nil), (":1", nil), ("1:", nil), ("12345::", nil), ("::g", nil), ("fe80::1%eth0", nil),
        ("1:2:3:4:5:6:7::8", nil), ("::1.2.3", nil), ("[::1]", nil), ("localhost", nil),
    ]

    @Test("parse and format", arguments: cases)
    func roundTrip(_ input: String, _ canonical: String?) {
        let parsed = IPAddress(input)?.unmapped
        #expect(parsed?.description == canonical)
        if let parsed {
            #expect(IPAddress(parsed.description) == parsed, "the canonical form parses back")
        }
    }

    @Test func unmapsOnlyMappedAddresses() {
        #expect(IPAddress("::ffff:1.2.3.4")!.unmapped == .v4(0x0102_0304))
        #expect(IPAddress("::1.2.3.4")!.unmapped.isIPv4 == false)
        #expect(IPAddress("::1")!.unmapped == .ipv6Loopback)
    }

    @Test func formatsIntoABuffer() {
        let longest = IPAddress("1111:2222:3333:4444:5555:6666:7777:8888")!
        let text = longest.description
        #expect(text.utf8.count == IPAddress.maxTextLength)
    }
}
