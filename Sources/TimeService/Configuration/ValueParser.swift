/// Parsers for setting values. Strict: `PORT=8080x`, `+80`, ` 80` and `0x50` are errors, never
/// silently read as something else.
enum ValueParser {
    static func integer(_ text: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int(text), range.contains(value)
        else {
            throw ConfigurationError("expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// Longest timeout accepted, in seconds: a day.
    static let maxSeconds = 86_400

    /// Decimal seconds with up to three decimals (`10`, `2.5`), in milliseconds.
    static func seconds(_ text: String, allowZero: Bool) throws(ConfigurationError) -> Int64 {
        let problem = ConfigurationError(
            "expected \(allowZero ? "a non-negative" : "a positive") number of seconds up to \(maxSeconds), such as 10 or 2.5")
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.count <= 6,
            whole.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let wholeValue = Int64(whole)
        else { throw problem }
        var milliseconds = wholeValue * 1000
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 3, fraction.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let fractionValue = Int64(fraction)
            else { throw problem }
            milliseconds += fractionValue * [100, 10, 1][fraction.count - 1]
        }
        guard milliseconds <= Int64(maxSeconds) * 1000, allowZero || milliseconds > 0 else { throw problem }
        return milliseconds
    }

    static func networks(_ text: String) throws(ConfigurationError) -> [IPNetwork] {
        var networks: [IPNetwork] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = String(entry).trimmingASCIIWhitespace
            if trimmed.isEmpty { continue }
            guard let network = IPNetwork(trimmed) else {
                throw ConfigurationError("\(String(reflecting: trimmed)) is not an IPv4 or IPv6 CIDR such as 10.0.0.0/16")
            }
            networks.append(network)
        }
        return networks
    }

    static func switchValue(_ text: String) throws(ConfigurationError) -> Bool {
        switch text.asciiLowercased {
        case "on", "true", "1", "yes": return true
        case "off", "false", "0", "no": return false
        default: throw ConfigurationError("expected on or off")
        }
    }
}
