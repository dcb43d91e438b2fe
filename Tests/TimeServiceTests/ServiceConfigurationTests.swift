import HTTPServer
import Testing

@testable import TimeService

@Suite("Configuration")
struct ServiceConfigurationTests {
    func serve(_ arguments: [String] = [], _ environment: [String: String] = [:]) throws -> ServiceConfiguration {
        guard case .serve(let configuration) = try ServiceConfiguration.parse(arguments: arguments, environment: environment) else {
            Issue.record("expected to serve")
            return ServiceConfiguration()
        }
        return configuration
    }

    @Test func defaultsAreTheProductionValues() throws {
        let configuration = try serve()
        #expect(configuration.port == 8080)
        #expect(configuration.host == .ipv6Any)
        #expect(configuration.trustedProxies.isEmpty)
        #expect(configuration.shutdownTimeoutMilliseconds == 10_000)
        #expect(configuration.idleTimeoutMilliseconds == 75_000)
        #expect(configuration.headerTimeoutMilliseconds == 10_000)
        #expect(configuration.maxConnections == 10_000)
        #expect(configuration.threads >= 1)
        #expect(configuration.logFormat == .json)
        #expect(configuration.logLevel == .info)
        #expect(configuration.accessLog)
    }

    @Test func environmentAndFlagsWithFlagsWinning() throws {
        let configuration = try serve(
            ["--port", "9090", "--log-level=debug", "--trusted-proxies", "192.168.0.0/24"],
            [
                "PORT": "7070", "HOST": "127.0.0.1", "TRUSTED_PROXIES": "10.0.0.0/16, 2001:db8::/32", "SHUTDOWN_TIMEOUT": "2.5",
                "IDLE_TIMEOUT": "90", "HEADER_TIMEOUT": "0.25", "MAX_CONNECTIONS": "5", "THREADS": "3", "LOG_FORMAT": "TEXT",
                "LOG_LEVEL": "warn", "ACCESS_LOG": "off",
            ])
        #expect(configuration.port == 9090)
        #expect(configuration.host == .ipv4Loopback)
        #expect(configuration.trustedProxies.map(\.description) == ["192.168.0.0/24"])
        #expect(configuration.shutdownTimeoutMilliseconds == 2_500)
        #expect(configuration.idleTimeoutMilliseconds == 90_000)
        #expect(configuration.headerTimeoutMilliseconds == 250)
        #expect(configuration.maxConnections == 5)
        #expect(configuration.threads == 3)
        #expect(configuration.logFormat == .text)
        #expect(configuration.logLevel == .debug)
        #expect(!configuration.accessLog)
    }

    @Test func emptyVariablesCountAsUnset() throws {
        #expect(try serve([], ["PORT": "", "TRUSTED_PROXIES": ""]).port == 8080)
    }

    @Test("invalid values", arguments: [
        (["PORT": "abc"], [], "invalid PORT \"abc\": expected an integer from 0 to 65535"),
        (["PORT": "70000"], [], "invalid PORT \"70000\": expected an integer from 0 to 65535"),
        (["PORT": "-1"], [], "invalid PORT \"-1\": expected an integer from 0 to 65535"),
        (["PORT": "+80"], [], "invalid PORT \"+80\": expected an integer from 0 to 65535"),
        (["PORT": " 80"], [], "invalid PORT \" 80\": expected an integer from 0 to 65535"),
        ([:], ["--port", "0x50"], "invalid --port \"0x50\": expected an integer from 0 to 65535"),
        (["HOST": "localhost"], [], "invalid HOST \"localhost\": expected a numeric IPv4 or IPv6 address (host names are not resolved)"),
        (["TRUSTED_PROXIES": "10.0.0.0/33"], [], "invalid TRUSTED_PROXIES \"10.0.0.0/33\": \"10.0.0.0/33\" is not an IPv4 or IPv6 CIDR such as 10.0.0.0/16"),
        (["TRUSTED_PROXIES": "10.0.0.0/8,garbage"], [], "invalid TRUSTED_PROXIES \"10.0.0.0/8,garbage\": \"garbage\" is not an IPv4 or IPv6 CIDR such as 10.0.0.0/16"),
        (["SHUTDOWN_TIMEOUT": "-1"], [], "invalid SHUTDOWN_TIMEOUT \"-1\": expected a non-negative number of seconds up to 86400, such as 10 or 2.5"),
        (["SHUTDOWN_TIMEOUT": "1.2345"], [], "invalid SHUTDOWN_TIMEOUT \"1.2345\": expected a non-negative number of seconds up to 86400, such as 10 or 2.5"),
        (["IDLE_TIMEOUT": "0"], [], "invalid IDLE_TIMEOUT \"0\": expected a positive number of seconds up to 86400, such as 10 or 2.5"),
        (["HEADER_TIMEOUT": "10s"], [], "invalid HEADER_TIMEOUT \"10s\": expected a positive number of seconds up to 86400, such as 10 or 2.5"),
        (["MAX_CONNECTIONS": "0"], [], "invalid MAX_CONNECTIONS \"0\": expected an integer from 1 to 1000000"),
        (["THREADS": "1000"], [], "invalid THREADS \"1000\": expected an integer from 1 to 256"),
        (["LOG_FORMAT": "xml"], [], "invalid LOG_FORMAT \"xml\": expected json or text"),
        (["LOG_LEVEL": "verbose"], [], "invalid LOG_LEVEL \"verbose\": expected debug, info, warn or error"),
        (["ACCESS_LOG": "maybe"], [], "invalid ACCESS_LOG \"maybe\": expected on or off"),
        ([:], ["--nope"], "unknown option '--nope' (see --help)"),
        ([:], ["serve"], "unknown option 'serve' (see --help)"),
        ([:], ["--port"], "option --port needs a value (N)"),
        ([:], ["healthcheck", "--port", "0"], "invalid --port \"0\": expected an integer from 1 to 65535"),
        ([:], ["healthcheck", "--verbose"], "unknown healthcheck option '--verbose' (see --help)"),
    ] as [([String: String], [String], String)])
    func invalid(_ environment: [String: String], _ arguments: [String], _ message: String) {
        #expect(throws: ConfigurationError(message)) {
            try ServiceConfiguration.parse(arguments: arguments, environment: environment)
        }
    }

    @Test func otherInvocations() throws {
        #expect(try ServiceConfiguration.parse(arguments: ["--help"], environment: ["PORT": "bad"]) == .help)
        #expect(try ServiceConfiguration.parse(arguments: ["--version"], environment: [:]) == .version)
        guard case .printConfiguration(let configuration) = try ServiceConfiguration.parse(arguments: ["--print-config", "--port", "1"], environment: [:]) else {
            Issue.record("expected --print-config")
            return
        }
        #expect(configuration.port == 1)
    }

    @Test func healthCheckReadsPortAndHost() throws {
        guard case .healthCheck(let options) = try ServiceConfiguration.parse(arguments: ["healthcheck"], environment: ["PORT": "9000", "HOST": "::"]) else {
            Issue.record("expected healthcheck")
            return
        }
        #expect(options.port == 9000)
        #expect(options.target == .ipv4Loopback)
        guard case .healthCheck(let explicit) = try ServiceConfiguration.parse(arguments: ["healthcheck", "--port=81", "--host", "::1", "--timeout", "0.5"], environment: [:]) else {
            Issue.record("expected healthcheck")
            return
        }
        #expect(explicit.port == 81)
        #expect(explicit.target == .ipv6Loopback)
        #expect(explicit.timeoutMilliseconds == 500)
    }

    @Test func jsonListsEverySetting() throws {
        var configuration = ServiceConfiguration()
        configuration.trustedProxies = [IPNetwork("10.0.0.0/16")!]
        configuration.threads = 2
        configuration.shutdownTimeoutMilliseconds = 2_500
        #expect(configuration.json == #"{"port":8080,"host":"::","trusted_proxies":["10.0.0.0/16"],"shutdown_timeout":2.5,"idle_timeout":75,"header_timeout":10,"max_connections":10000,"threads":2,"log_format":"json","log_level":"info","access_log":true}"#)
    }

    @Test func helpListsEveryVariable() {
        let help = ServiceConfiguration.helpText
        for name in ["PORT", "HOST", "TRUSTED_PROXIES", "SHUTDOWN_TIMEOUT", "IDLE_TIMEOUT", "HEADER_TIMEOUT", "MAX_CONNECTIONS", "THREADS", "LOG_FORMAT", "LOG_LEVEL", "ACCESS_LOG"] {
            #expect(help.contains(name))
        }
    }

    @Test func cgroupQuota() {
        #expect(CPUBudget.quota(fromCPUMax: "max 100000\n") == nil)
        #expect(CPUBudget.quota(fromCPUMax: "50000 100000\n") == 1)
        #expect(CPUBudget.quota(fromCPUMax: "150000 100000") == 2)
        #expect(CPUBudget.quota(fromCPUMax: "200000 100000") == 2)
        #expect(CPUBudget.quota(fromCPUMax: "garbage") == nil)
    }
}
