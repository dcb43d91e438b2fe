import TestSupport
import Testing

/// The validator must catch what it is there to catch, or its passes mean nothing.
@Suite("Prometheus text validator")
struct PrometheusTextValidatorTests {
    static let valid = """
        # HELP a_total Things.
        # TYPE a_total counter
        a_total{x="1",y="q\\"uote"} 3
        # TYPE h histogram
        h_bucket{le="0.1"} 1
        h_bucket{le="+Inf"} 2
        h_sum 0.3
        h_count 2

        """

    @Test func acceptsValidText() throws {
        var validator = PrometheusTextValidator()
        try validator.validate(Self.valid)
        #expect(validator.value("a_total", ["x": "1", "y": "q\"uote"]) == 3)
    }

    @Test("rejects", arguments: [
        "a 1",  // no final line feed
        "1a 1\n",
        "a{x=\"1\" 1\n",
        "a{x=1} 1\n",
        "a{x=\"1\",x=\"2\"} 1\n",
        "a one\n",
        "# TYPE a counter\n# TYPE a counter\na 1\n",
        "a 1\n# TYPE a counter\n",
        "# TYPE a wrong\na 1\n",
        "a 1\nb 1\na 2\n",
        "# TYPE a counter\na -1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
        "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 1\n",
        "a 1\n\nb 2\n",
        "a{x=\"\\t\"} 1\n",
    ])
    func rejects(_ text: String) {
        var validator = PrometheusTextValidator()
        #expect(throws: ValidationError.self) { try validator.validate(text) }
    }
}
