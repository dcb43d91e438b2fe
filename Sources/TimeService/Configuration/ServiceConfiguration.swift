import HTTPServer

/// Every setting of the service, with its default. Each can be set by an environment variable or
/// by the matching flag, and the flag wins (`ServiceConfiguration+Loading.swift`).
///
/// The defaults are the production values for ECS Fargate behind an Application Load Balancer,
/// except `trustedProxies`, which must name the balancer's network before `X-Forwarded-For` is
/// believed: trusting it by default would let any caller choose the address reported.
public struct ServiceConfiguration: Sendable, Equatable {
    /// `PORT`, `--port`: TCP port to listen on; 0 picks a free port (reported in the log).
    public var port: UInt16 = 8080
    /// `HOST`, `--host`: numeric address to listen on. `::` is every interface, IPv6 and IPv4,
    /// falling back to `0.0.0.0` where IPv6 is unavailable. Host names are not resolved: the
    /// static binary has no resolver.
    public var host: IPAddress = .ipv6Any
    /// `TRUSTED_PROXIES`, `--trusted-proxies`: comma-separated CIDRs of proxies whose
    /// `X-Forwarded-For` is believed. Empty: the TCP peer is the client.
    public var trustedProxies: [IPNetwork] = []
    /// `SHUTDOWN_TIMEOUT`, `--shutdown-timeout`: seconds to drain after SIGTERM/SIGINT before
    /// exiting anyway. Below ECS's stop timeout (30 s by default) so the drain ends before SIGKILL.
    public var shutdownTimeoutMilliseconds: Int64 = 10_000
    /// `IDLE_TIMEOUT`, `--idle-timeout`: seconds a kept-alive connection may idle. Above the ALB's
    /// 60 s idle timeout, so the balancer never reuses a connection the service is closing.
    public var idleTimeoutMilliseconds: Int64 = 75_000
    /// `HEADER_TIMEOUT`, `--header-timeout`: seconds a request may take to arrive from its first
    /// byte; a stalled client is answered 408 and closed.
    public var headerTimeoutMilliseconds: Int64 = 10_000
    /// `MAX_CONNECTIONS`, `--max-connections`: open connections at most; beyond it new
    /// connections wait in the kernel's backlog.
    public var maxConnections = 10_000
    /// `THREADS`, `--threads`: event loops. Default: the CPUs this process may use (its CPU
    /// affinity, capped by a cgroup CPU quota such as a Fargate task's size).
    public var threads = CPUBudget.available()
    /// `LOG_FORMAT`, `--log-format`: `json` (one object per line) or `text`.
    public var logFormat = LogFormat.json
    /// `LOG_LEVEL`, `--log-level`: `debug`, `info`, `warn` or `error`. Access logs are `info`.
    public var logLevel = LogLevel.info
    /// `ACCESS_LOG`, `--access-log`: `on` or `off`.
    public var accessLog = true

    /// Request limits. Fixed rather than configurable: they bound memory per connection and no
    /// request this API answers comes near them.
    public var limits = HTTPParserLimits()

    /// Headers on every response, the server's own error responses included: responses carry
    /// the current time and the caller's address, so no cache may keep them, and nothing should
    /// guess their type.
    public static let defaultHeaderLines = "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"

    public init() {}

    /// The server layer's view of these settings.
    public var serverConfiguration: HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: host,
            port: port,
            loopCount: threads,
            maxConnections: maxConnections,
            limits: limits,
            timeouts: HTTPConnectionTimeouts(
                idleMilliseconds: idleTimeoutMilliseconds,
                requestMilliseconds: headerTimeoutMilliseconds),
            shutdownTimeoutMilliseconds: shutdownTimeoutMilliseconds,
            defaultHeaderLines: Self.defaultHeaderLines)
    }
}
