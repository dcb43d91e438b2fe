import HTTPServer

extension ServiceConfiguration {
    static let settings: [Setting] = [
        Setting(
            environmentName: "PORT", flag: "--port", placeholder: "N",
            summary: "TCP port to listen on (0-65535; 0 picks a free port)",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.port = UInt16(try ValueParser.integer(text, in: 0...65535))
            },
            show: { String($0.port) }),
        Setting(
            environmentName: "HOST", flag: "--host", placeholder: "ADDRESS",
            summary: "numeric IPv4 or IPv6 address to listen on; :: is all interfaces, IPv6 and IPv4",
            apply: { configuration, text throws(ConfigurationError) in
                guard let address = IPAddress(text) else {
                    throw ConfigurationError("expected a numeric IPv4 or IPv6 address (host names are not resolved)")
                }
                configuration.host = address
            },
            show: { $0.host.description }),
        Setting(
            environmentName: "TRUSTED_PROXIES", flag: "--trusted-proxies", placeholder: "CIDRS",
            summary: "comma-separated CIDRs of proxies whose X-Forwarded-For is believed (empty: none)",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.trustedProxies = try ValueParser.networks(text)
            },
            show: { $0.trustedProxies.map(\.description).joined(separator: ",") }),
        Setting(
            environmentName: "SHUTDOWN_TIMEOUT", flag: "--shutdown-timeout", placeholder: "SECONDS",
            summary: "seconds to drain connections after SIGTERM/SIGINT before exiting",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.shutdownTimeoutMilliseconds = try ValueParser.seconds(text, allowZero: true)
            },
            show: { SecondsText.format(milliseconds: $0.shutdownTimeoutMilliseconds) }),
        Setting(
            environmentName: "IDLE_TIMEOUT", flag: "--idle-timeout", placeholder: "SECONDS",
            summary: "seconds a kept-alive connection may idle (keep above the load balancer's)",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.idleTimeoutMilliseconds = try ValueParser.seconds(text, allowZero: false)
            },
            show: { SecondsText.format(milliseconds: $0.idleTimeoutMilliseconds) }),
        Setting(
            environmentName: "HEADER_TIMEOUT", flag: "--header-timeout", placeholder: "SECONDS",
            summary: "seconds a request may take to arrive, from its first byte (then 408)",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.headerTimeoutMilliseconds = try ValueParser.seconds(text, allowZero: false)
            },
            show: { SecondsText.format(milliseconds: $0.headerTimeoutMilliseconds) }),
        Setting(
            environmentName: "MAX_CONNECTIONS", flag: "--max-connections", placeholder: "N",
            summary: "open connections at most; more wait in the kernel's backlog",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.maxConnections = try ValueParser.integer(text, in: 1...1_000_000)
            },
            show: { String($0.maxConnections) }),
        Setting(
            environmentName: "THREADS", flag: "--threads", placeholder: "N",
            summary: "event loop threads (default: the CPUs this process may use)",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.threads = try ValueParser.integer(text, in: 1...256)
            },
            show: { String($0.threads) }),
        Setting(
            environmentName: "LOG_FORMAT", flag: "--log-format", placeholder: "json|text",
            summary: "log line format",
            apply: { configuration, text throws(ConfigurationError) in
                guard let format = LogFormat(rawValue: text.asciiLowercased) else {
                    throw ConfigurationError("expected json or text")
                }
                configuration.logFormat = format
            },
            show: { $0.logFormat.rawValue }),
        Setting(
            environmentName: "LOG_LEVEL", flag: "--log-level", placeholder: "LEVEL",
            summary: "debug, info, warn or error (access logs are info)",
            apply: { configuration, text throws(ConfigurationError) in
                guard let level = LogLevel.allCases.first(where: { $0.name.description == text.asciiLowercased }) else {
                    throw ConfigurationError("expected debug, info, warn or error")
                }
                configuration.logLevel = level
            },
            show: { $0.logLevel.name.description }),
        Setting(
            environmentName: "ACCESS_LOG", flag: "--access-log", placeholder: "on|off",
            summary: "one log line per request",
            apply: { configuration, text throws(ConfigurationError) in
                configuration.accessLog = try ValueParser.switchValue(text)
            },
            show: { $0.accessLog ? "on" : "off" }),
    ]

    /// Reads the invocation from the command line (without the program name) and the environment.
    /// Environment variables are applied first, then flags, so a flag wins. An empty variable
    /// counts as unset.
    public static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError)
        -> Invocation
    {
        if arguments.first == "healthcheck" {
            return .healthCheck(try HealthCheckOptions.parse(arguments: Array(arguments.dropFirst()), environment: environment))
        }
        // Help and version work whatever else the command line or environment holds.
        for argument in arguments {
            if argument == "-h" || argument == "--help" { return .help }
            if argument == "--version" { return .version }
        }
        var configuration = ServiceConfiguration()
        for setting in settings {
            guard let text = environment[setting.environmentName], !text.isEmpty else { continue }
            try apply(setting, text, source: setting.environmentName, to: &configuration)
        }
        var printConfiguration = false
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--print-config" {
                printConfiguration = true
                continue
            }
            let (flag, inlineValue) = splitFlag(argument)
            guard let setting = settings.first(where: { $0.flag == flag }) else {
                throw ConfigurationError("unknown option '\(argument)' (see --help)")
            }
            guard let text = inlineValue ?? remaining.popFirst() else {
                throw ConfigurationError("option \(flag) needs a value (\(setting.placeholder))")
            }
            try apply(setting, text, source: flag, to: &configuration)
        }
        return printConfiguration ? .printConfiguration(configuration) : .serve(configuration)
    }

    static func splitFlag(_ argument: String) -> (flag: String, value: String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func apply(_ setting: Setting, _ text: String, source: String, to configuration: inout ServiceConfiguration)
        throws(ConfigurationError)
    {
        do {
            try setting.apply(&configuration, text)
        } catch {
            throw ConfigurationError("invalid \(source) \(String(reflecting: text)): \(error.message)")
        }
    }

    /// The `--help` text.
    public static var helpText: String {
        let defaults = ServiceConfiguration()
        var lines = [
            "simple-time-service \(BuildInfo.version): the current UTC time and the caller's IP address, over HTTP.",
            "",
            "Usage:",
            "  simple-time-service [OPTIONS]        serve (GET / returns {\"timestamp\":...,\"ip\":...})",
            "  simple-time-service --print-config   print the effective configuration as JSON and exit",
            "  simple-time-service healthcheck [--port N] [--host ADDRESS] [--timeout SECONDS]",
            "                                       exit 0 if the local server answers GET /healthz with 200",
            "  simple-time-service --help | --version",
            "",
            "Options (each also read from the environment variable shown; a flag wins):",
        ]
        for setting in settings {
            let flag = "  \(setting.flag) \(setting.placeholder)"
            let padded = flag + String(repeating: " ", count: max(1, 32 - flag.count))
            let environment = setting.environmentName + String(repeating: " ", count: max(1, 18 - setting.environmentName.count))
            let shown = setting.show(defaults)
            lines.append(padded + environment + setting.summary + " [default: \(shown.isEmpty ? "none" : shown)]")
        }
        lines += [
            "",
            "Exit status: 0 after a clean shutdown, 1 on a runtime failure (such as the port in use),",
            "2 on an invalid setting, 128+N when a second signal N forces an immediate exit.",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The effective configuration as one JSON object (for `--print-config` and the start log).
    public var json: String {
        let proxies = trustedProxies.map { "\"\($0)\"" }.joined(separator: ",")
        return "{\"port\":\(port),\"host\":\"\(host)\",\"trusted_proxies\":[\(proxies)]"
            + ",\"shutdown_timeout\":\(SecondsText.format(milliseconds: shutdownTimeoutMilliseconds))"
            + ",\"idle_timeout\":\(SecondsText.format(milliseconds: idleTimeoutMilliseconds))"
            + ",\"header_timeout\":\(SecondsText.format(milliseconds: headerTimeoutMilliseconds))"
            + ",\"max_connections\":\(maxConnections),\"threads\":\(threads)"
            + ",\"log_format\":\"\(logFormat.rawValue)\",\"log_level\":\"\(logLevel.name)\""
            + ",\"access_log\":\(accessLog)}"
    }
}
