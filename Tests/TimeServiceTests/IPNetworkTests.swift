import HTTPServer
import Testing

@testable import TimeService

@Suite("IP networks")
struct IPNetworkTests {
    @Test("parsing", arguments: [
        ("10.0.0.0/16", "10.0.0.0/16"), ("10.0.5.5/16", "10.0.0.0/16"), ("10.0.0.1", "10.0.0.1/32"),
        ("0.0.0.0/0", "0.0.0.0/0"), ("2001:db8::/32", "2001:db8::/32"), ("2001:db8::1", "2001:db8::1/128"),
        ("::/0", "::/0"), ("::ffff:10.0.0.0/104", "10.0.0.0/8"), ("2001:db8:ffff::/33", "2001:db8:8000::/33"),
        ("10.0.0.0/33", nil), ("10.0.0.0/", nil), ("10.0.0.0/-1", nil), ("10.0.0.0/1a", nil), ("10.0.0/8", nil),
        ("2001:db8::/129", nil), ("::ffff:10.0.0.0/95", nil), ("", nil), ("10.0.0.0/8/8", nil),
    ] as [(String, String?)])
    func parse(_ text: String, _ expected: String?) {
        #expect(IPNetwork(text)?.description == expected)
    }

    @Test func containment() throws {
        let network = try #require(IPNetwork("10.0.0.0/16"))
        #expect(network.contains(IPAddress("10.0.255.255")!))
        #expect(!network.contains(IPAddress("10.1.0.0")!))
        #expect(!network.contains(IPAddress("::ffff:10.0.0.1")!), "callers unmap first")
        let v6 = try #require(IPNetwork("2001:db8::/127"))
        #expect(v6.contains(IPAddress("2001:db8::1")!))
        #expect(!v6.contains(IPAddress("2001:db8::2")!))
        #expect(IPNetwork("0.0.0.0/0")!.contains(IPAddress("255.1.2.3")!))
        #expect(!IPNetwork("0.0.0.0/0")!.contains(IPAddress("::1")!))
    }
}
