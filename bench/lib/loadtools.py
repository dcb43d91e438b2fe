#!/usr/bin/env python3
"""Load and fault tools for bench/run.sh and bench/stress.sh (standard library only).

Subcommands:
  startup      start a server command, time exec -> first 200, report idle RSS, then RSS with
               N idle keep-alive connections (each has answered one request)
  requests     send N keep-alive requests over C connections (drives callgrind runs)
  slowloris    hold N connections that trickle one header byte per interval; report how many
               the server closed and when
  exhaust      open many connections against a server with few file descriptors; check that
               held connections keep working, the server does not spin, and new ones are
               served once others close
  shutdown     run C keep-alive clients at full speed, send SIGTERM to PID, classify every
               request: complete, truncated, reset, unanswered
Every subcommand prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"


def read_response(sock: socket.socket, buffer: bytearray) -> tuple[int, bool] | None:
    """Reads one response from sock (extra bytes stay in buffer). Returns (status, connection
    closes), or None when the connection ended before a complete response."""
    while True:
        end = buffer.find(b"\r\n\r\n")
        if end >= 0:
            head = bytes(buffer[:end]).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ")[1])
            length = 0
            closes = False
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and value.strip().lower() == "close":
                    closes = True
            total = end + 4 + length
            while len(buffer) < total:
                chunk = sock.recv(65536)
                if not chunk:
                    return None
                buffer += chunk
            del buffer[:total]
            return status, closes
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def process_gone(pid: int) -> bool:
    """True once the process has exited (a zombie waiting for its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def fd_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def get_once(port: int, timeout: float = 2.0) -> int | None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            result = read_response(sock, bytearray())
            return None if result is None else result[0]
    except OSError:
        return None


# --------------------------------------------------------------------------------------------


def command_startup(arguments: argparse.Namespace) -> dict:
    environment = dict(os.environ)
    started = time.perf_counter()
    process = subprocess.Popen(arguments.command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = None
    try:
        while time.perf_counter() - started < 10:
            try:
                with socket.create_connection(("127.0.0.1", arguments.port), timeout=1) as sock:
                    sock.sendall(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
                    result = read_response(sock, bytearray())
                    if result and result[0] == 200:
                        first = (time.perf_counter() - started) * 1000
                        break
            except OSError:
                time.sleep(0.0005)
        if first is None:
            raise SystemExit("no 200 within 10 s")
        pid = arguments.measure_pid or process.pid
        if arguments.pid_file:
            deadline = time.time() + 5
            while time.time() < deadline and not os.path.exists(arguments.pid_file):
                time.sleep(0.01)
            with open(arguments.pid_file) as handle:
                pid = int(handle.read().strip())
        worker = arguments.worker_of and child_of(pid)
        measured = worker or pid
        time.sleep(0.5)
        idle = rss_kib(measured)
        held: list[socket.socket] = []
        buffer = bytearray()
        for _ in range(arguments.connections):
            sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
            sock.sendall(REQUEST)
            if read_response(sock, buffer) is None:
                raise SystemExit("a connection closed early")
            held.append(sock)
        time.sleep(0.5)
        loaded = rss_kib(measured)
        for sock in held:
            sock.close()
        return {
            "first_response_ms": round(first, 2),
            "idle_rss_kib": idle,
            "connections": arguments.connections,
            "loaded_rss_kib": loaded,
            "per_connection_bytes": round((loaded - idle) * 1024 / max(1, arguments.connections), 1),
        }
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def child_of(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            values = children.read().split()
        return int(values[0]) if values else None
    except OSError:
        return None


def command_requests(arguments: argparse.Namespace) -> dict:
    sockets = [socket.create_connection(("127.0.0.1", arguments.port), timeout=30) for _ in range(arguments.connections)]
    buffers = [bytearray() for _ in sockets]
    done = 0
    failures = 0
    while done < arguments.count:
        for index, sock in enumerate(sockets):
            if done >= arguments.count:
                break
            sock.sendall(REQUEST)
            result = read_response(sock, buffers[index])
            if result is None or result[0] != 200:
                failures += 1
            done += 1
    for sock in sockets:
        sock.close()
    return {"requests": done, "failures": failures}


def command_slowloris(arguments: argparse.Namespace) -> dict:
    """Holds N connections, each sending one more byte of an endless header every interval."""
    selector = selectors.DefaultSelector()
    opened = []
    for _ in range(arguments.connections):
        sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
        sock.setblocking(False)
        opened.append(sock)
        selector.register(sock, selectors.EVENT_READ)
    started = time.monotonic()
    payload = b"GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: " + b"a" * 100000
    position = {sock: 0 for sock in opened}
    closed_at: dict[socket.socket, float] = {}
    got_408 = 0
    next_send = started
    while time.monotonic() - started < arguments.duration and len(closed_at) < len(opened):
        now = time.monotonic()
        if now >= next_send:
            for sock in opened:
                if sock in closed_at:
                    continue
                try:
                    sock.send(payload[position[sock] : position[sock] + 1])
                    position[sock] += 1
                except OSError:
                    closed_at[sock] = now - started
                    selector.unregister(sock)
            next_send = now + arguments.interval
        for key, _ in selector.select(timeout=max(0.0, min(0.2, next_send - time.monotonic()))):
            sock = key.fileobj
            try:
                data = sock.recv(65536)  # type: ignore[union-attr]
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 408"):
                got_408 += 1
            if not data or b"\r\n\r\n" in data:
                if sock not in closed_at:
                    closed_at[sock] = time.monotonic() - started  # type: ignore[index]
                    selector.unregister(sock)
    times = sorted(closed_at.values())
    for sock in opened:
        sock.close()
    return {
        "connections": len(opened),
        "closed_by_server": len(closed_at),
        "answered_408": got_408,
        "first_close_s": round(times[0], 2) if times else None,
        "last_close_s": round(times[-1], 2) if times else None,
    }


def command_exhaust(arguments: argparse.Namespace) -> dict:
    """Fills a server limited to few descriptors (or MAX_CONNECTIONS): HELD connections that each
    completed a request, then more connections that each sent one and must wait in the backlog."""
    held = []
    buffer = bytearray()
    for _ in range(arguments.held):
        sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
        sock.sendall(REQUEST)
        if read_response(sock, buffer) is None:
            raise SystemExit("a held connection was closed")
        held.append(sock)
    waiting = []
    for _ in range(arguments.attempts - arguments.held):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.settimeout(10)
        sock.connect(("127.0.0.1", arguments.port))
        sock.sendall(REQUEST)
        waiting.append(sock)
    time.sleep(1.0)
    # The server is at its limit with a full backlog: it must neither spin nor stop serving.
    cpu_before = cpu_seconds([arguments.pid])
    wall_before = time.monotonic()
    answered_while_full = 0
    for sock in held[:10]:
        sock.sendall(REQUEST)
        if read_response(sock, buffer) is not None:
            answered_while_full += 1
    time.sleep(max(0.0, 2.0 - (time.monotonic() - wall_before)))
    cpu_share = (cpu_seconds([arguments.pid]) - cpu_before) / (time.monotonic() - wall_before)
    alive = not process_gone(arguments.pid)
    # Close everything but the last ten waiting connections: those must now be served.
    for sock in held + waiting[:-10]:
        sock.close()
    served_after = 0
    for sock in waiting[-10:]:
        try:
            if read_response(sock, bytearray()) is not None:
                served_after += 1
        except OSError:
            pass
        sock.close()
    fresh_status = get_once(arguments.port, timeout=10)
    return {
        "attempts": arguments.attempts,
        "alive": alive,
        "cpu_share_while_full": round(cpu_share, 3),
        "answered_while_full": answered_while_full,
        "waiting_served_after_close": served_after,
        "fresh_connection_status": fresh_status,
    }


@dataclass
class ShutdownTally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    completed: int = 0
    completed_after_signal: int = 0
    truncated: int = 0
    reset: int = 0
    unanswered: int = 0
    refused: int = 0
    in_flight: int = 0


def command_shutdown(arguments: argparse.Namespace) -> dict:
    tally = ShutdownTally()
    signalled = threading.Event()
    stop = threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                sock = socket.create_connection(("127.0.0.1", arguments.port), timeout=10)
            except OSError:
                with tally.lock:
                    tally.refused += 1
                if signalled.is_set():
                    return
                time.sleep(0.001)
                continue
            buffer = bytearray()
            with sock:
                while True:
                    try:
                        sock.sendall(REQUEST)
                    except OSError:
                        break  # closed while idle: the request never left
                    with tally.lock:
                        tally.in_flight += 1
                    after = signalled.is_set()
                    try:
                        result = read_response(sock, buffer)
                        outcome = "unanswered" if result is None and not buffer else ("truncated" if result is None else "complete")
                        closes = bool(result and result[1])
                    except ConnectionResetError:
                        outcome, closes = "reset", True
                    with tally.lock:
                        tally.in_flight -= 1
                        if outcome == "complete":
                            tally.completed += 1
                            if after or signalled.is_set():
                                tally.completed_after_signal += 1
                        else:
                            setattr(tally, outcome, getattr(tally, outcome) + 1)
                    if outcome != "complete" or closes:
                        break

    threads = [threading.Thread(target=client, daemon=True) for _ in range(arguments.clients)]
    for thread in threads:
        thread.start()
    time.sleep(arguments.warmup)
    with tally.lock:
        in_flight_at_signal = tally.in_flight
        before = tally.completed
    signalled.set()
    sent = time.monotonic()
    os.kill(arguments.pid, signal.SIGTERM)
    while time.monotonic() - sent < arguments.timeout + 5 and not process_gone(arguments.pid):
        time.sleep(0.005)
    stop_seconds = time.monotonic() - sent
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    return {
        "clients": arguments.clients,
        "completed_before_signal": before,
        "in_flight_at_signal": in_flight_at_signal,
        "completed": tally.completed,
        "completed_after_signal": tally.completed_after_signal,
        "truncated": tally.truncated,
        "reset": tally.reset,
        "unanswered": tally.unanswered,
        "refused_after_close": tally.refused,
        "stop_seconds": round(stop_seconds, 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command_name", required=True)

    startup = sub.add_parser("startup")
    startup.add_argument("--port", type=int, required=True)
    startup.add_argument("--connections", type=int, default=10000)
    startup.add_argument("--pid-file", help="read the server's pid from this file (nginx)")
    startup.add_argument("--worker-of", action="store_true", help="measure the first child (nginx worker)")
    startup.add_argument("--measure-pid", type=int)
    startup.add_argument("command", nargs=argparse.REMAINDER)

    requests = sub.add_parser("requests")
    requests.add_argument("--port", type=int, required=True)
    requests.add_argument("--count", type=int, required=True)
    requests.add_argument("--connections", type=int, default=4)

    slowloris = sub.add_parser("slowloris")
    slowloris.add_argument("--port", type=int, required=True)
    slowloris.add_argument("--connections", type=int, default=1000)
    slowloris.add_argument("--interval", type=float, default=1.0)
    slowloris.add_argument("--duration", type=float, default=30.0)

    exhaust = sub.add_parser("exhaust")
    exhaust.add_argument("--port", type=int, required=True)
    exhaust.add_argument("--pid", type=int, required=True)
    exhaust.add_argument("--attempts", type=int, default=1000)
    exhaust.add_argument("--held", type=int, default=100)

    shutdown = sub.add_parser("shutdown")
    shutdown.add_argument("--port", type=int, required=True)
    shutdown.add_argument("--pid", type=int, required=True)
    shutdown.add_argument("--clients", type=int, default=64)
    shutdown.add_argument("--warmup", type=float, default=2.0)
    shutdown.add_argument("--timeout", type=float, default=10.0)

    arguments = parser.parse_args()
    if arguments.command_name == "startup":
        if arguments.command and arguments.command[0] == "--":
            arguments.command = arguments.command[1:]
        result = command_startup(arguments)
    else:
        result = globals()[f"command_{arguments.command_name}"](arguments)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
