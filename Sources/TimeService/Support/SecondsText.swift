/// Durations and instants as decimal seconds (`10`, `2.5`, `0.0001`), exact to the nanosecond and
/// without floating point: for `--print-config`, `--help` and the metrics exposition.
enum SecondsText {
    static func format(nanoseconds: Int64) -> String {
        let whole = nanoseconds / 1_000_000_000
        var fraction = String(nanoseconds % 1_000_000_000)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    }

    static func format(milliseconds: Int64) -> String {
        format(nanoseconds: milliseconds * 1_000_000)
    }
}
