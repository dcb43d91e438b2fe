import HTTPServer
import Testing

@testable import TimeService

struct ResolverCase: Sendable, CustomTestStringConvertible {
    let name: String
    let peer: String
    let trusted: String
    /// X-Forwarded-For field lines, in the order they appear.
    let forwardedFor: [String]
    let expected: String
    var testDescription: String { name }
}

let resolverCases: [ResolverCase] = [
    ResolverCase(name: "no trusted proxies: the peer, whatever the header says", peer: "10.0.1.5", trusted: "", forwardedFor: ["203.0.113.7"], expected: "10.0.1.5"),
    ResolverCase(name: "untrusted peer: header ignored", peer: "198.51.100.1", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7"], expected: "198.51.100.1"),
    ResolverCase(name: "ALB appends the caller", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "spoofed leftmost entries are skipped", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["1.1.1.1, 8.8.8.8, 203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "spoofed entry equal to a trusted address", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["10.0.0.1, 203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "several field lines are one list", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["6.6.6.6", "203.0.113.7, 10.0.2.2"], expected: "203.0.113.7"),
    ResolverCase(name: "trusted chain of proxies", peer: "10.0.1.5", trusted: "10.0.0.0/16,192.168.0.0/24", forwardedFor: ["203.0.113.7, 192.168.0.9, 10.0.3.3"], expected: "203.0.113.7"),
    ResolverCase(name: "all trusted: the leftmost", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["10.0.9.9, 10.0.8.8"], expected: "10.0.9.9"),
    ResolverCase(name: "no header from a trusted peer: the peer", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: [], expected: "10.0.1.5"),
    ResolverCase(name: "garbage stops the walk at the last valid address", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7, <script>, 10.0.4.4"], expected: "10.0.4.4"),
    ResolverCase(name: "garbage as the last entry: the peer", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7, unknown"], expected: "10.0.1.5"),
    ResolverCase(name: "empty entry stops the walk", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7,,10.0.4.4"], expected: "10.0.4.4"),
    ResolverCase(name: "IPv6 client", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["2001:DB8::0:7"], expected: "2001:db8::7"),
    ResolverCase(name: "bracketed IPv6 with port", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["[2001:db8::7]:51234"], expected: "2001:db8::7"),
    ResolverCase(name: "bracketed IPv6 without port", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["[2001:db8::7]"], expected: "2001:db8::7"),
    ResolverCase(name: "IPv4 with port", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7:443"], expected: "203.0.113.7"),
    ResolverCase(name: "IPv4-mapped entry is reported as IPv4", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["::ffff:203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "IPv4-mapped peer matches an IPv4 range", peer: "::ffff:10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "IPv6 trusted proxy", peer: "2600:1f18::10", trusted: "2600:1f18::/56", forwardedFor: ["198.51.100.4"], expected: "198.51.100.4"),
    ResolverCase(name: "malformed port is garbage", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.7:http"], expected: "10.0.1.5"),
    ResolverCase(name: "bracketed IPv4 is garbage", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["[203.0.113.7]"], expected: "10.0.1.5"),
    ResolverCase(name: "leading zeros are garbage", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: ["203.0.113.07"], expected: "10.0.1.5"),
    ResolverCase(name: "whitespace around entries", peer: "10.0.1.5", trusted: "10.0.0.0/16", forwardedFor: [" 1.2.3.4 ,\t203.0.113.7 "], expected: "203.0.113.7"),
    ResolverCase(name: "bare address as a trusted range", peer: "10.0.1.5", trusted: "10.0.1.5", forwardedFor: ["203.0.113.7"], expected: "203.0.113.7"),
    ResolverCase(name: "a /32 that does not match", peer: "10.0.1.6", trusted: "10.0.1.5/32", forwardedFor: ["203.0.113.7"], expected: "10.0.1.6"),
]

@Suite("Client address resolution")
struct ClientAddressResolverTests {
    @Test("X-Forwarded-For walk", arguments: resolverCases)
    func walk(_ testCase: ResolverCase) throws {
        let networks = try ValueParser.networks(testCase.trusted)
        let resolver = ClientAddressResolver(trustedProxies: networks)
        var head = "GET / HTTP/1.1\r\nHost: a\r\n"
        for line in testCase.forwardedFor { head += "X-Forwarded-For: \(line)\r\n" }
        head += "\r\n"
        let peer = try #require(IPAddress(testCase.peer)).unmapped
        let client = withRequest(head, peer: peer) { resolver.clientAddress(of: $0) }
        #expect(client.description == testCase.expected)
    }

    @Test("entry forms", arguments: [
        ("1.2.3.4", "1.2.3.4"), ("1.2.3.4:80", "1.2.3.4"), ("[::1]:80", "::1"), ("[::1]", "::1"), ("::1", "::1"),
        ("[::1]:", nil), ("[::1", nil), ("1.2.3.4:", nil), ("1.2.3.4:123456", nil), ("", nil), ("obfuscated", nil),
        ("_hidden", nil), ("[1.2.3.4]", nil), ("[::1]x", nil),
    ] as [(String, String?)])
    func entries(_ entry: String, _ expected: String?) {
        let parsed = Array(entry.utf8).withUnsafeBytes { ClientAddressResolver.parseEntry($0) }
        #expect(parsed?.description == expected)
    }
}

/// Parses `head` into an `HTTPRequest` and passes it to `body`.
func withRequest<Result>(_ head: String, peer: IPAddress, _ body: (HTTPRequest) -> Result) -> Result {
    let bytes = Array(head.utf8)
    let parser = HTTPRequestParser()
    var fields = HTTPHeaderIndex(capacity: 100)
    var progress = HTTPParseProgress()
    return bytes.withUnsafeBytes { raw in
        guard case .complete(let parsed) = parser.parse(raw, progress: &progress, fields: &fields) else {
            fatalError("test request does not parse: \(head)")
        }
        let request = HTTPRequest(
            head: parsed, bytes: raw, fields: fields.fields, peer: peer,
            receivedAtNanoseconds: MonotonicTime.nowNanoseconds(),
            receivedAt: WallClockTime(milliseconds: 1_796_396_400_123))
        return body(request)
    }
}
