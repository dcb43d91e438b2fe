// swift-tools-version:6.0
import PackageDescription

/// SimpleTimeService: a small HTTP/1.1 service answering the current UTC time and the caller's IP.
///
/// Layers, bottom to top (each target depends only on the ones above it in this list):
/// - `CSystemShims`: the few Linux C APIs the Glibc module does not expose (epoll, eventfd, accept4).
/// - `HTTPServer`: the protocol and I/O layer - pure HTTP/1.1 parser, connection state machine,
///   epoll event loops, sockets. Knows nothing about time or JSON APIs.
/// - `TimeService`: the application - routes, client-IP resolution, JSON, clock, logs, metrics,
///   configuration.
/// - `simple-time-service`: the executable; reads the configuration and runs the server.
let package = Package(
    name: "simple-time-service",
    products: [
        .executable(name: "simple-time-service", targets: ["simple-time-service"])
    ],
    targets: [
        .target(name: "CSystemShims"),
        .target(name: "HTTPServer", dependencies: ["CSystemShims"]),
        .target(name: "TimeService", dependencies: ["HTTPServer", "CSystemShims"]),
        .executableTarget(name: "simple-time-service", dependencies: ["TimeService"]),
        // Helpers shared by the test targets (never part of the product).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "TimeServiceTests", dependencies: ["TimeService", "HTTPServer", "TestSupport"]),
        .testTarget(name: "IntegrationTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
