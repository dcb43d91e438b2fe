import HTTPServer

extension MetricsRegistry {
    public static let contentType: StaticString = "text/plain; version=0.0.4; charset=utf-8"

    /// Writes every metric in the Prometheus text exposition format 0.0.4.
    public func render(into out: inout ByteBuffer) {
        header(&out, "simple_time_service_http_requests_total", "counter", "Requests answered, by route and status code.")
        for route in Route.allCases {
            for status in HTTPStatus.allCases {
                let count = requests(route: route, status: status)
                guard count > 0 else { continue }
                out.append("simple_time_service_http_requests_total{route=\"")
                out.append(route.label)
                out.append("\",code=\"")
                out.appendDecimal(status.code)
                out.append("\"} ")
                out.appendDecimal(count)
                out.append(UInt8(ascii: "\n"))
            }
        }

        let name = "simple_time_service_http_request_duration_seconds"
        header(&out, name, "histogram", "Time from reading a request to queuing its response.")
        var cumulative = 0
        for (index, bound) in RequestMetrics.bucketBounds.enumerated() {
            cumulative += requestShards.reduce(0) { $0 + $1.bucketCount(index) }
            out.append(string: name + "_bucket{le=\"" + SecondsText.format(nanoseconds: bound) + "\"} ")
            out.appendDecimal(cumulative)
            out.append(UInt8(ascii: "\n"))
        }
        cumulative += requestShards.reduce(0) { $0 + $1.bucketCount(RequestMetrics.bucketBounds.count) }
        out.append(string: name + "_bucket{le=\"+Inf\"} ")
        out.appendDecimal(cumulative)
        out.append(string: "\n" + name + "_sum ")
        out.append(string: SecondsText.format(nanoseconds: Int64(requestShards.reduce(0) { $0 + $1.durationSumNanoseconds })))
        out.append(string: "\n" + name + "_count ")
        out.appendDecimal(requestShards.reduce(0) { $0 + $1.durationCount })
        out.append(UInt8(ascii: "\n"))

        gauge(&out, "simple_time_service_open_connections", "Connections open now.", server.openConnections)
        counter(&out, "simple_time_service_connections_accepted_total", "Connections accepted.", server.acceptedConnections)

        header(&out, "simple_time_service_http_parse_errors_total", "counter", "Requests rejected before routing, by kind.")
        for error in HTTPParseError.allCases {
            out.append("simple_time_service_http_parse_errors_total{kind=\"")
            out.append(error.kind)
            out.append("\"} ")
            out.appendDecimal(server.parseErrors(error))
            out.append(UInt8(ascii: "\n"))
        }

        counter(&out, "simple_time_service_log_lines_dropped_total", "Log lines dropped because the log queue was full.", logSink.droppedLines)
        gauge(&out, "simple_time_service_draining", "1 while the service drains after a stop signal.", lifecycle.isDraining ? 1 : 0)

        header(&out, "simple_time_service_build_info", "gauge", "Version and git revision of the running build.")
        out.append("simple_time_service_build_info{version=\"")
        Self.appendLabelValue(BuildInfo.version, to: &out)
        out.append("\",revision=\"")
        Self.appendLabelValue(BuildInfo.revision, to: &out)
        out.append("\"} 1\n")

        header(&out, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch, in seconds.")
        out.append("process_start_time_seconds ")
        out.append(string: SecondsText.format(milliseconds: startTime.milliseconds))
        out.append(UInt8(ascii: "\n"))

        let process = ProcessStatistics.read()
        header(&out, "process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.")
        out.append("process_cpu_seconds_total ")
        out.append(string: SecondsText.format(nanoseconds: process.cpuMicroseconds * 1000))
        out.append(UInt8(ascii: "\n"))
        if let resident = process.residentBytes {
            gauge(&out, "process_resident_memory_bytes", "Resident memory size, in bytes.", resident)
        }
        if let open = process.openDescriptors {
            gauge(&out, "process_open_fds", "Open file descriptors.", open)
        }
        gauge(&out, "process_max_fds", "Limit of open file descriptors.", process.maxDescriptors)
    }

    private func header(_ out: inout ByteBuffer, _ name: String, _ type: StaticString, _ help: StaticString) {
        out.append(string: "# HELP " + name + " ")
        out.append(help)
        out.append(string: "\n# TYPE " + name + " ")
        out.append(type)
        out.append(UInt8(ascii: "\n"))
    }

    private func gauge(_ out: inout ByteBuffer, _ name: String, _ help: StaticString, _ value: Int) {
        header(&out, name, "gauge", help)
        sample(&out, name, value)
    }

    private func counter(_ out: inout ByteBuffer, _ name: String, _ help: StaticString, _ value: Int) {
        header(&out, name, "counter", help)
        sample(&out, name, value)
    }

    private func sample(_ out: inout ByteBuffer, _ name: String, _ value: Int) {
        out.append(string: name + " ")
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            out.appendDecimal(-value)
        } else {
            out.appendDecimal(value)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// Label values escape backslash, double quote and line feed.
    static func appendLabelValue(_ value: String, to out: inout ByteBuffer) {
        for character in value.unicodeScalars {
            switch character {
            case "\\": out.append("\\\\")
            case "\"": out.append("\\\"")
            case "\n": out.append("\\n")
            default: out.append(string: String(character))
            }
        }
    }
}
