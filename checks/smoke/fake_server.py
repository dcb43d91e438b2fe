#!/usr/bin/env python3
"""A stand-in for SimpleTimeService that answers correctly or in one chosen wrong way.

checks/smoke/test_smoke.sh starts one per case to prove that scripts/smoke-test.sh
accepts a correct server and rejects each kind of broken one with the right reason.

    fake_server.py MODE PORT_FILE [--port N] [--listen-after SECONDS] [--healthy-after SECONDS]
                   [--tls CERT_FILE KEY_FILE]

It listens on 127.0.0.1 (port N, or a free one), writes the port to PORT_FILE once it
listens, and serves until killed. Standard library only.
"""

import argparse
import json
import os
import ssl
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODES = (
    "ok",                # the real contract
    "ok-ipv6",           # correct, but reports an IPv6 client address
    "extra-field",       # {"timestamp", "ip", "version"}
    "missing-field",     # {"timestamp"}
    "duplicate-field",   # {"timestamp", "ip", "ip"}
    "non-string-ip",     # "ip": 2130706433
    "not-json",          # a plain-text body
    "bad-timestamp",     # a local time without a zone
    "not-utc",           # an RFC 3339 time with an offset instead of Z
    "stale-timestamp",   # ten minutes old
    "future-timestamp",  # ten minutes ahead
    "bad-ip",            # "ip": "not-an-ip"
    "no-cache-control",  # no Cache-Control header
    "wrong-cache-control",  # Cache-Control: max-age=60
    "wrong-content-type",   # text/plain
    "status-500",        # GET / answers 500
    "healthz-500",       # GET /healthz answers 500
    "healthz-no-store",  # GET /healthz without Cache-Control
    "never-healthy",     # every request answers 503, as a load balancer with no targets
)


def utc_now(offset_seconds=0.0):
    moment = datetime.now(timezone.utc) + timedelta(seconds=offset_seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def make_handler(mode, healthy_at):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "fake-simple-time-service"

        def log_message(self, format, *args):  # keep the test output readable
            pass

        def send(self, status, body, content_type="application/json", cache_control="no-store"):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if cache_control is not None:
                self.send_header("Cache-Control", cache_control)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if mode == "never-healthy" or time.monotonic() < healthy_at:
                self.send(503, "<html><body>503 Service Temporarily Unavailable</body></html>",
                          content_type="text/html", cache_control=None)
                return
            if self.path == "/healthz":
                if mode == "healthz-500":
                    self.send(500, '{"status":"broken"}')
                elif mode == "healthz-no-store":
                    self.send(200, '{"status":"ok"}', cache_control=None)
                else:
                    self.send(200, '{"status":"ok"}')
                return
            if self.path != "/":
                self.send(404, '{"error":"not found"}')
                return
            ip = self.client_address[0]
            document = {"timestamp": utc_now(), "ip": ip}
            content_type, cache_control, status = "application/json", "no-store", 200
            if mode == "ok-ipv6":
                document["ip"] = "2001:db8::7"
            elif mode == "extra-field":
                document["version"] = "0.1.0"
            elif mode == "missing-field":
                del document["ip"]
            elif mode == "non-string-ip":
                document["ip"] = 2130706433
            elif mode == "bad-timestamp":
                document["timestamp"] = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            elif mode == "not-utc":
                document["timestamp"] = datetime.now(timezone(timedelta(hours=2))).isoformat()
            elif mode == "stale-timestamp":
                document["timestamp"] = utc_now(-600)
            elif mode == "future-timestamp":
                document["timestamp"] = utc_now(600)
            elif mode == "bad-ip":
                document["ip"] = "not-an-ip"
            elif mode == "no-cache-control":
                cache_control = None
            elif mode == "wrong-cache-control":
                cache_control = "max-age=60"
            elif mode == "wrong-content-type":
                content_type = "text/plain; charset=utf-8"
            elif mode == "status-500":
                status = 500
            body = json.dumps(document, separators=(",", ":"))
            if mode == "duplicate-field":
                body = body[:-1] + f',"ip":"{ip}"}}'
            elif mode == "not-json":
                body = f"timestamp={document['timestamp']} ip={ip}"
            if mode == "status-500":
                body = '{"error":"internal"}'
            self.send(status, body, content_type=content_type, cache_control=cache_control)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("port_file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--listen-after", type=float, default=0.0,
                        help="refuse connections for this many seconds first")
    parser.add_argument("--healthy-after", type=float, default=0.0,
                        help="answer 503 for this many seconds after listening")
    parser.add_argument("--tls", nargs=2, metavar=("CERT_FILE", "KEY_FILE"),
                        help="serve HTTPS with this certificate and key")
    args = parser.parse_args()

    time.sleep(args.listen_after)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.mode, 0.0))
    server.RequestHandlerClass = make_handler(args.mode, time.monotonic() + args.healthy_after)
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    temporary = args.port_file + ".tmp"
    with open(temporary, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(temporary, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
