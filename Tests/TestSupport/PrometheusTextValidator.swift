/// Checks text against the Prometheus text exposition format 0.0.4, line by line: comment and
/// sample syntax, metric and label names, label value escaping, number syntax, TYPE before
/// samples and at most once, samples of one metric together, and histogram consistency
/// (cumulative buckets, a +Inf bucket equal to _count).
public struct PrometheusTextValidator {
    public struct Sample: Equatable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public private(set) var samples: [Sample] = []
    public private(set) var types: [String: String] = [:]

    static func isMetricName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
    }

    static func isLabelName(_ name: Substring) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    static func parseValue(_ text: Substring) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default:
            guard !text.isEmpty, text.allSatisfy({ "0123456789.eE+-".contains($0) }) else { return nil }
            return Double(text)
        }
    }

    /// The metric family a sample belongs to (histogram samples carry suffixes).
    func familyName(of name: String) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return name
    }

    public init() {}

    public mutating func validate(_ text: String) throws(ValidationError) {
        guard text.hasSuffix("\n") else { throw ValidationError("the exposition must end with a line feed") }
        var helps: Set<String> = []
        var finished: Set<String> = []
        var current: String?
        for (number, line) in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "line \(number + 1): \(line)"
            if line.isEmpty { throw ValidationError("empty line, \(location)") }
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count >= 3, parts[0] == "#", parts[1] == "HELP" || parts[1] == "TYPE" else { continue }
                let name = String(parts[2])
                guard Self.isMetricName(parts[2]) else { throw ValidationError("bad metric name, \(location)") }
                if parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw ValidationError("bad TYPE, \(location)")
                    }
                    guard types[name] == nil else { throw ValidationError("second TYPE, \(location)") }
                    guard !samples.contains(where: { familyName(of: $0.name) == name }) else {
                        throw ValidationError("TYPE after samples, \(location)")
                    }
                    types[name] = String(parts[3])
                } else {
                    guard helps.insert(name).inserted else { throw ValidationError("second HELP, \(location)") }
                }
                continue
            }
            let sample = try parseSample(line, location)
            let family = familyName(of: sample.name)
            if family != current {
                if let current { finished.insert(current) }
                guard !finished.contains(family) else { throw ValidationError("samples of \(family) are not together, \(location)") }
                current = family
            }
            if types[family] == "counter", sample.value < 0 { throw ValidationError("negative counter, \(location)") }
            samples.append(sample)
        }
        try checkHistograms()
    }

    private func parseSample(_ line: Substring, _ location: String) throws(ValidationError) -> Sample {
        var rest = line[...]
        let nameEnd = rest.firstIndex(where: { $0 == "{" || $0 == " " }) ?? rest.endIndex
        let name = rest[..<nameEnd]
        guard Self.isMetricName(name) else { throw ValidationError("bad metric name, \(location)") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw ValidationError("bad label, \(location)") }
                let label = rest[..<equals]
                guard Self.isLabelName(label) else { throw ValidationError("bad label name, \(location)") }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw ValidationError("unquoted label value, \(location)") }
                rest = rest.dropFirst()
                var value = ""
                while true {
                    guard let character = rest.first else { throw ValidationError("unterminated label value, \(location)") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        guard let escaped = rest.first, "\\\"n".contains(escaped) else { throw ValidationError("bad escape, \(location)") }
                        value.append(escaped == "n" ? "\n" : escaped)
                        rest = rest.dropFirst()
                    } else {
                        guard character != "\n" else { throw ValidationError("line feed in a label value, \(location)") }
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: String(label)) == nil else { throw ValidationError("repeated label, \(location)") }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" {
                    throw ValidationError("expected , or }, \(location)")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw ValidationError("expected a space before the value, \(location)") }
        let fields = rest.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 1 || fields.count == 2, let value = Self.parseValue(fields[0]) else {
            throw ValidationError("bad value, \(location)")
        }
        if fields.count == 2, Int64(fields[1]) == nil { throw ValidationError("bad timestamp, \(location)") }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private func checkHistograms() throws(ValidationError) {
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            guard !buckets.isEmpty, buckets.allSatisfy({ $0.labels["le"] != nil }) else {
                throw ValidationError("\(family): buckets need le labels")
            }
            var previousBound = -Double.infinity
            var previousCount = 0.0
            for bucket in buckets {
                guard let bound = Self.parseValue(bucket.labels["le"]![...]), bound > previousBound else {
                    throw ValidationError("\(family): bucket bounds must increase")
                }
                guard bucket.value >= previousCount else { throw ValidationError("\(family): buckets must be cumulative") }
                previousBound = bound
                previousCount = bucket.value
            }
            guard previousBound == .infinity else { throw ValidationError("\(family): no +Inf bucket") }
            guard let count = samples.first(where: { $0.name == family + "_count" }), count.value == previousCount,
                samples.contains(where: { $0.name == family + "_sum" })
            else { throw ValidationError("\(family): _count must equal the +Inf bucket, and _sum must exist") }
        }
    }

    public func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }
}

public struct ValidationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
