import HTTPServer

/// Settings of the `healthcheck` subcommand: the container's health command, which has no shell
/// and no curl to use in a `scratch` image.
public struct HealthCheckOptions: Sendable, Equatable {
    /// Where the server listens; `PORT` by default, like the server itself.
    public var port: UInt16 = 8080
    /// The server's listening address (`HOST`); an unspecified address means loopback.
    public var host: IPAddress = .ipv6Any
    public var timeoutMilliseconds: Int64 = 1000

    public init() {}

    /// The address to connect to: loopback when the server listens on every interface.
    public var target: IPAddress {
        host.isUnspecified ? .ipv4Loopback : host
    }

    static func parse(arguments: [String], environment: [String: String]) throws(ConfigurationError) -> HealthCheckOptions {
        var options = HealthCheckOptions()
        var configuration = ServiceConfiguration()
        for name in ["PORT", "HOST"] {
            guard let text = environment[name], !text.isEmpty,
                let setting = ServiceConfiguration.settings.first(where: { $0.environmentName == name })
            else { continue }
            do {
                try setting.apply(&configuration, text)
            } catch {
                throw ConfigurationError("invalid \(name) \(String(reflecting: text)): \(error.message)")
            }
        }
        options.port = configuration.port
        options.host = configuration.host
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let (flag, inlineValue) = ServiceConfiguration.splitFlag(argument)
            guard ["--port", "--host", "--timeout"].contains(flag) else {
                throw ConfigurationError("unknown healthcheck option '\(argument)' (see --help)")
            }
            guard let text = inlineValue ?? remaining.popFirst() else {
                throw ConfigurationError("option \(flag) needs a value")
            }
            do throws(ConfigurationError) {
                switch flag {
                case "--port": options.port = UInt16(try ValueParser.integer(text, in: 1...65535))
                case "--host":
                    guard let address = IPAddress(text) else { throw ConfigurationError("expected a numeric IP address") }
                    options.host = address
                default: options.timeoutMilliseconds = try ValueParser.seconds(text, allowZero: false)
                }
            } catch {
                throw ConfigurationError("invalid \(flag) \(String(reflecting: text)): \(error.message)")
            }
        }
        guard options.port != 0 else { throw ConfigurationError("healthcheck needs a port other than 0") }
        return options
    }
}
