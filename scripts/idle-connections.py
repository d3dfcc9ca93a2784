#!/usr/bin/env python3
"""Opens N idle client connections to a Kafka broker and holds them (scripts/bench-broker).

Each connection sends one ApiVersions v0 request, reads the whole response, and then stays open
without sending anything else, as an idle client would. Standard library only (socket,
selectors): one process holds 10,000+ sockets. Connects at most --concurrency at a time, so the
broker's accept backlog is not what is measured.

    scripts/idle-connections.py HOST:PORT N [--concurrency C] [--timeout S]

Prints one line when every connection has either answered or failed:

    ready: OK ok, F failed of N in S s [(first failure: ...)]

then holds the connections open until SIGTERM, SIGINT or end of standard input, watching for
connections the broker closes, and prints

    stopped: X still open, Y closed by the broker

before closing them all (with a reset, so no TIME_WAIT is left behind). Raises its own soft
file limit to the hard limit; exit status 0 when at least one connection succeeded.
"""
import argparse
import errno
import os
import resource
import selectors
import signal
import socket
import struct
import sys
import time

API_VERSIONS = 18
CLIENT_ID = b"idle-connections"


def api_versions_v0(correlation_id: int) -> bytes:
    # Request header v1: api_key, api_version, correlation_id, client_id (int16 length + bytes);
    # the ApiVersions v0 body is empty.
    body = struct.pack(">hhih", API_VERSIONS, 0, correlation_id, len(CLIENT_ID)) + CLIENT_ID
    return struct.pack(">i", len(body)) + body


class Conn:
    __slots__ = ("sock", "state", "out", "inbuf", "need", "correlation_id", "started")

    def __init__(self, sock: socket.socket, correlation_id: int):
        self.sock = sock
        self.state = "connecting"
        self.out = api_versions_v0(correlation_id)
        self.inbuf = bytearray()
        self.need = 4
        self.correlation_id = correlation_id
        self.started = time.monotonic()


def main() -> int:
    parser = argparse.ArgumentParser(description="hold N idle Kafka client connections")
    parser.add_argument("broker", help="HOST:PORT")
    parser.add_argument("count", type=int, help="connections to open")
    parser.add_argument("--concurrency", type=int, default=200, help="connections being set up at once (default 200)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds each connection may take to answer (default 30)")
    args = parser.parse_args()
    host, _, port = args.broker.rpartition(":")
    address = (host or "127.0.0.1", int(port))

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass

    stop = {"requested": False}

    def request_stop(*_):
        stop["requested"] = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    selector = selectors.DefaultSelector()
    ok: list[socket.socket] = []
    failed = 0
    first_failure = None
    pending = 0
    next_id = 0
    started = time.monotonic()

    def fail(conn: Conn, why: str):
        nonlocal failed, first_failure, pending
        failed += 1
        pending -= 1
        if first_failure is None:
            first_failure = why
        try:
            selector.unregister(conn.sock)
        except (KeyError, ValueError):
            pass
        conn.sock.close()

    def open_one():
        nonlocal next_id, pending, failed, first_failure
        next_id += 1
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        except OSError as error:
            failed += 1
            first_failure = first_failure or f"socket: {error}"
            return
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn = Conn(sock, next_id)
        pending += 1
        code = sock.connect_ex(address)
        if code not in (0, errno.EINPROGRESS):
            fail(conn, f"connect: {os.strerror(code)}")
            return
        selector.register(sock, selectors.EVENT_WRITE, conn)

    def step(conn: Conn, events: int):
        nonlocal pending
        sock = conn.sock
        if conn.state == "connecting":
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code != 0:
                fail(conn, f"connect: {os.strerror(code)}")
                return
            conn.state = "sending"
        if conn.state == "sending":
            try:
                sent = sock.send(conn.out)
            except BlockingIOError:
                return
            except OSError as error:
                fail(conn, f"send: {error}")
                return
            conn.out = conn.out[sent:]
            if conn.out:
                return
            conn.state = "reading"
            selector.modify(sock, selectors.EVENT_READ, conn)
            return
        if conn.state == "reading":
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                return
            except OSError as error:
                fail(conn, f"recv: {error}")
                return
            if not data:
                fail(conn, "closed by the broker before answering")
                return
            conn.inbuf += data
            if len(conn.inbuf) >= 4 and conn.need == 4:
                conn.need = 4 + struct.unpack(">i", conn.inbuf[:4])[0]
            if len(conn.inbuf) >= conn.need > 4:
                (correlation_id,) = struct.unpack(">i", conn.inbuf[4:8])
                if correlation_id != conn.correlation_id:
                    fail(conn, f"answer with correlation id {correlation_id}, expected {conn.correlation_id}")
                    return
                selector.unregister(sock)
                pending -= 1
                ok.append(sock)

    while (len(ok) + failed < args.count) and not stop["requested"]:
        while pending < args.concurrency and next_id < args.count:
            open_one()
        for key, events in selector.select(timeout=0.2):
            step(key.data, events)
        now = time.monotonic()
        for key in list(selector.get_map().values()):
            conn = key.data
            if now - conn.started > args.timeout:
                fail(conn, f"no answer within {args.timeout:g} s ({conn.state})")

    elapsed = time.monotonic() - started
    line = f"ready: {len(ok)} ok, {failed} failed of {args.count} in {elapsed:.2f} s"
    if first_failure:
        line += f" (first failure: {first_failure})"
    print(line, flush=True)

    # Hold: watch the idle connections (readable = the broker closed it or sent something) and
    # standard input (end of file = stop).
    closed = 0
    for sock in ok:
        selector.register(sock, selectors.EVENT_READ, None)
    try:
        selector.register(0, selectors.EVENT_READ, "stdin")
    except (ValueError, OSError, PermissionError):
        pass  # stdin is /dev/null or a regular file: wait for a signal only
    open_socks = set(ok)
    while not stop["requested"]:
        for key, _ in selector.select(timeout=1.0):
            if key.data == "stdin":
                if not os.read(0, 4096):
                    stop["requested"] = True
                continue
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                closed += 1
                selector.unregister(sock)
                open_socks.discard(sock)
                sock.close()
    print(f"stopped: {len(open_socks)} still open, {closed} closed by the broker", flush=True)
    linger = struct.pack("ii", 1, 0)
    for sock in open_socks:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        except OSError:
            pass
        sock.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
