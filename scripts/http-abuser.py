#!/usr/bin/env python3
"""Abuses an HTTP port for SECONDS: HOLD slow connections that send half a request and stop
(each refreshed when the server drops it), and a loop of GETs of PATHS as fast as answered.
Prints "<requests>/s <refused> <held>" at the end. Usage: http-abuser.py HOST PORT SECONDS HOLD PATH..."""
import socket
import sys
import time

host, port, seconds, hold = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
paths = sys.argv[5:] or ["/metrics"]
end = time.monotonic() + seconds
slow = []
for _ in range(hold):
    try:
        s = socket.create_connection((host, port), timeout=2)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")  # never finished
        slow.append(s)
    except OSError:
        pass
done = refused = 0
i = 0
while time.monotonic() < end:
    path = paths[i % len(paths)]
    i += 1
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
            if b" 503 " in data[:20]:
                refused += 1
            done += 1
    except OSError:
        refused += 1
for s in slow:
    s.close()
print(f"{done / seconds:.0f} {refused} {len(slow)}")
