import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// nginx in front of the service, as a load balancer would be: the caller's address must come
/// through `X-Forwarded-For`, and a caller's forged header must not.
///
/// Three loopback addresses stand for three hosts: the caller is 127.0.0.2, nginx connects to the
/// service from 127.0.0.3 (the only trusted proxy), and both listen on 127.0.0.1.
@Suite("Behind a reverse proxy")
final class ReverseProxyTests {
    let service: ServiceProcess
    let nginx: Process
    let nginxPort: UInt16
    let directory: URL

    init() throws {
        service = try ServiceProcess.start(environment: ["TRUSTED_PROXIES": "127.0.0.3/32"])
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sts-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        nginxPort = try LoopbackListener.freePort()
        let path = directory.path
        let configuration = """
            daemon off;
            master_process off;
            worker_processes 1;
            pid \(path)/nginx.pid;
            error_log \(path)/error.log warn;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path \(path)/body;
                proxy_temp_path \(path)/proxy;
                fastcgi_temp_path \(path)/fastcgi;
                uwsgi_temp_path \(path)/uwsgi;
                scgi_temp_path \(path)/scgi;
                server {
                    listen 127.0.0.1:\(nginxPort);
                    location / {
                        proxy_pass http://127.0.0.1:\(service.port);
                        proxy_bind 127.0.0.3;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    }
                }
            }
            """
        try configuration.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        let binary = ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let binary else { throw TestFailure("nginx is not installed (apt-get install nginx-light)") }
        nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: binary)
        nginx.arguments = ["-p", path, "-c", directory.appendingPathComponent("nginx.conf").path]
        try nginx.run()
        let deadline = Date().addingTimeInterval(10)
        while (try? RawConnection(port: nginxPort)) == nil {
            guard Date() < deadline, nginx.isRunning else {
                throw TestFailure("nginx did not start: \((try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? "")")
            }
            usleep(20_000)
        }
    }

    deinit {
        // SIGKILL, not SIGTERM: a process started from a test thread inherits that thread's
        // blocked signals, and single-process nginx never unblocks them.
        kill(nginx.processIdentifier, SIGKILL)
        let deadline = Date().addingTimeInterval(5)
        while nginx.isRunning, Date() < deadline { usleep(5_000) }
        try? FileManager.default.removeItem(at: directory)
    }

    func ip(viaProxy: Bool, headers: [String] = []) throws -> String {
        let connection = try RawConnection(port: viaProxy ? nginxPort : service.port, source: "127.0.0.2")
        try connection.send("GET / HTTP/1.1\r\nHost: test\r\n" + headers.map { $0 + "\r\n" }.joined() + "Connection: close\r\n\r\n")
        let response = try connection.readResponse()
        guard response.status == 200, let match = response.bodyText.firstMatch(of: #/"ip":"([^"]+)"/#) else {
            throw TestFailure("unexpected answer \(response.statusLine) \(response.bodyText)")
        }
        return String(match.output.1)
    }

    @Test func theCallersAddressComesThrough() throws {
        #expect(try ip(viaProxy: true) == "127.0.0.2")
    }

    @Test func aForgedHeaderIsIgnored() throws {
        #expect(try ip(viaProxy: true, headers: ["X-Forwarded-For: 203.0.113.9"]) == "127.0.0.2")
        #expect(try ip(viaProxy: true, headers: ["X-Forwarded-For: 1.1.1.1, 127.0.0.3"]) == "127.0.0.2")
        #expect(try ip(viaProxy: true, headers: ["X-Forwarded-For: 203.0.113.9", "X-Forwarded-For: 127.0.0.3"]) == "127.0.0.2")
        #expect(try ip(viaProxy: true, headers: ["X-Forwarded-For: not-an-ip"]) == "127.0.0.2")
    }

    @Test func aDirectCallerCannotForgeItsAddress() throws {
        #expect(try ip(viaProxy: false, headers: ["X-Forwarded-For: 203.0.113.9"]) == "127.0.0.2")
    }

    @Test func accessLogShowsClientAndPeer() throws {
        _ = try ip(viaProxy: true, headers: ["X-Forwarded-For: 203.0.113.9"])
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let entry = service.events("request").first(where: { $0["peer_ip"] as? String == "127.0.0.3" }) {
                #expect(entry["client_ip"] as? String == "127.0.0.2")
                return
            }
            usleep(20_000)
        }
        Issue.record("no access log line for the proxied request")
    }
}
