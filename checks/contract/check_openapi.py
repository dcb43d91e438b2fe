#!/usr/bin/env python3
"""Checks the real service's responses against docs/openapi.yaml.

Starts the binary on a free port, sends one request per documented response (and a few the
protocol layer answers), and checks each response: a documented status for that path and
method, the documented media type, a body valid against the documented schema, the documented
headers with valid values, and the headers every response carries. The spec itself is checked
with openapi-spec-validator first.

Usage: check_openapi.py BINARY [--spec docs/openapi.yaml]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]


class Response:
    def __init__(self, raw: bytes, head_request: bool) -> None:
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status_line = lines[0]
        self.status = int(lines[0].split(" ")[1])
        self.headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        length = 0 if head_request else int(self.headers.get("content-length", "0"))
        self.body = rest[:length]


def request(port: int, text: str, keep: socket.socket | None = None) -> Response:
    connection = keep or socket.create_connection(("127.0.0.1", port), timeout=5)
    connection.sendall(text.encode("latin-1"))
    data = b""
    head_request = text.startswith("HEAD ")
    while True:
        if b"\r\n\r\n" in data:
            response = Response(data, head_request)
            if len(response.body) == (0 if head_request else int(response.headers.get("content-length", "0"))):
                if keep is None:
                    connection.close()
                return response
        chunk = connection.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed before a complete response to {text.splitlines()[0]!r}")
        data += chunk


class Checker:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource(contents=spec, specification=DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource("urn:spec", resource)
        self.failures: list[str] = []
        self.checked = 0

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            node = target
        return node

    def schema_errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        wrapped = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        # Rewrite local references so they resolve against the whole spec document.
        text = json.dumps(wrapped).replace('"#/components/', '"urn:spec#/components/')
        validator = Draft202012Validator(json.loads(text), registry=self.registry, format_checker=FormatChecker())
        return [error.message for error in validator.iter_errors(instance)]

    def documented(self, path: str | None, method: str, status: int) -> dict[str, Any] | None:
        if path is None:
            return self.resolve(self.spec["components"]["responses"]["NotFound"]) if status == 404 else None
        operation = self.spec["paths"][path].get(method) or self.spec["paths"][path]["get"]
        entry = operation["responses"].get(str(status))
        return None if entry is None else self.resolve(entry)

    def check(self, name: str, response: Response, path: str | None, method: str) -> None:
        self.checked += 1
        problems: list[str] = []
        documented = self.documented(path, method, response.status)
        if documented is None:
            self.failures.append(f"{name}: status {response.status} is not documented for {method.upper()} {path}")
            return
        for header in ("date", "content-length", "cache-control", "x-content-type-options"):
            if header not in response.headers:
                problems.append(f"missing {header}")
        # Requests refused by the protocol layer never reach routing, so they get no request id.
        refused_before_routing = "Connection" in documented.get("headers", {})
        if not refused_before_routing and "x-request-id" not in response.headers:
            problems.append("missing x-request-id")
        if "server" in response.headers:
            problems.append("has a Server header")
        for header_name, header in documented.get("headers", {}).items():
            header = self.resolve(header)
            value = response.headers.get(header_name.lower())
            if value is None:
                if header.get("required"):
                    problems.append(f"missing documented header {header_name}")
                continue
            problems += [f"{header_name}: {error}" for error in self.schema_errors(header["schema"], value)]
        content = documented.get("content", {})
        media = response.headers.get("content-type", "")
        if media not in content:
            problems.append(f"content type {media!r} is not one of {list(content)}")
        elif method != "head":
            schema = content[media]["schema"]
            instance: Any = response.body.decode("utf-8")
            if media == "application/json":
                instance = json.loads(instance)
            problems += self.schema_errors(schema, instance)
        if method == "head" and response.body:
            problems.append("HEAD response has a body")
        if problems:
            self.failures.append(f"{name}: " + "; ".join(problems))


def start(binary: str) -> tuple[subprocess.Popen[str], int]:
    environment = {"PORT": "0", "THREADS": "1", "ACCESS_LOG": "off"}
    process = subprocess.Popen([binary], env=environment, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        event = json.loads(line)
        if event.get("event") == "listening":
            return process, int(event["port"])
    process.kill()
    raise SystemExit("the service did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--spec", default=str(ROOT / "docs/openapi.yaml"))
    arguments = parser.parse_args()

    spec = yaml.safe_load(Path(arguments.spec).read_text())
    validate_spec(spec)
    checker = Checker(spec)

    process, port = start(arguments.binary)
    try:
        host = "Host: test\r\n"
        cases: list[tuple[str, str, str | None, str]] = [
            ("GET /", f"GET / HTTP/1.1\r\n{host}\r\n", "/", "get"),
            ("GET / with a query", f"GET /?a=1 HTTP/1.1\r\n{host}\r\n", "/", "get"),
            ("GET / with a request id", f"GET / HTTP/1.1\r\n{host}X-Request-Id: abc-1\r\n\r\n", "/", "get"),
            ("HEAD /", f"HEAD / HTTP/1.1\r\n{host}\r\n", "/", "head"),
            ("GET /healthz", f"GET /healthz HTTP/1.1\r\n{host}\r\n", "/healthz", "get"),
            ("GET /readyz", f"GET /readyz HTTP/1.1\r\n{host}\r\n", "/readyz", "get"),
            ("GET /metrics", f"GET /metrics HTTP/1.1\r\n{host}\r\n", "/metrics", "get"),
            ("POST /", f"POST / HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n", "/", "post"),
            ("DELETE /healthz", f"DELETE /healthz HTTP/1.1\r\n{host}\r\n", "/healthz", "delete"),
            ("PUT /readyz", f"PUT /readyz HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n", "/readyz", "put"),
            ("PATCH /metrics", f"PATCH /metrics HTTP/1.1\r\n{host}Content-Length: 0\r\n\r\n", "/metrics", "patch"),
            ("GET /unknown", f"GET /unknown HTTP/1.1\r\n{host}\r\n", None, "get"),
            ("BREW /", f"BREW / HTTP/1.1\r\n{host}\r\n", "/", "brew"),
            ("GET / without Host", "GET / HTTP/1.1\r\n\r\n", "/", "get"),
        ]
        for name, text, path, method in cases:
            checker.check(name, request(port, text), path, method)

        # Readiness while draining: a kept-alive connection asks right after SIGTERM.
        kept = socket.create_connection(("127.0.0.1", port), timeout=5)
        checker.check("GET /readyz before SIGTERM", request(port, f"GET /readyz HTTP/1.1\r\n{host}\r\n", kept), "/readyz", "get")
        process.send_signal(15)
        time.sleep(0.1)
        draining = request(port, f"GET /readyz HTTP/1.1\r\n{host}\r\n", kept)
        if draining.status != 503:
            checker.failures.append(f"GET /readyz while draining: {draining.status}, expected 503")
        checker.check("GET /readyz while draining", draining, "/readyz", "get")
        kept.close()
        if process.wait(timeout=15) != 0:
            checker.failures.append(f"exit status {process.returncode} after SIGTERM")
    finally:
        if process.poll() is None:
            process.kill()

    for failure in checker.failures:
        print(f"FAIL {failure}")
    print(f"openapi contract: {checker.checked} responses checked against {Path(arguments.spec).name}, {len(checker.failures)} failures")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
