#!/usr/bin/env python3
"""Brute-force attacker for scripts/bench-login-abuse: for SECONDS, opens connections to a SASL
listener and tries wrong PLAIN passwords (SaslHandshake v1 + SaslAuthenticate) as fast as the
broker answers; prints the attempts per second at the end.
Usage: login-abuse-attacker.py HOST PORT SECONDS"""
import socket, struct, sys, time
host, port, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def frame(api, ver, corr, body):
    client = b"attacker"
    header = struct.pack(">hhih", api, ver, corr, len(client)) + client
    payload = header + body
    return struct.pack(">i", len(payload)) + payload
def string(s): b = s.encode(); return struct.pack(">h", len(b)) + b
def bytes_(b): return struct.pack(">i", len(b)) + b
def read_frame(sock):
    def exact(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk: raise ConnectionError
            data += chunk
        return data
    (n,) = struct.unpack(">i", exact(4))
    return exact(n)
attempts, end = 0, time.monotonic() + seconds
while time.monotonic() < end:
    try:
        s = socket.create_connection((host, port), timeout=5)
        s.sendall(frame(17, 1, 1, string("PLAIN")))
        read_frame(s)
        s.sendall(frame(36, 1, 2, bytes_(b"\0alice\0guess-%d" % attempts)))
        read_frame(s)
        attempts += 1
        s.close()
    except OSError:
        attempts += 1
print(f"{attempts / seconds:.0f} wrong logins/s", flush=True)
