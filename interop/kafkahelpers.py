"""Shared helpers for the interop tests: records, kcat, confluent-kafka, raw Fetch."""

from __future__ import annotations

import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

# ---------------------------------------------------------------- generic

CLIENT_TIMEOUT_S = 10.0


def wait_until(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    """Polls `predicate` until it returns something truthy; fails with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Rec:
    """A record as a test expects it back. Headers are a tuple of (str, bytes|None)."""
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple = ()
    timestamp: int | None = None

    def short(self) -> str:
        def cut(b):
            if b is None:
                return None
            return b if len(b) <= 40 else b[:40] + b"...(%d bytes)" % len(b)
        return (f"p{self.partition}@{self.offset} key={cut(self.key)!r} value={cut(self.value)!r} "
                f"headers={self.headers!r} ts={self.timestamp}")


def assert_same_records(got: Iterable[Rec], expected: Iterable[Rec], compare_ts: bool = True):
    """Compares two record lists after sorting by (partition, offset), with a readable diff."""
    got = sorted(got, key=lambda r: (r.partition, r.offset))
    expected = sorted(expected, key=lambda r: (r.partition, r.offset))
    if not compare_ts:
        got = [Rec(r.partition, r.offset, r.key, r.value, r.headers, None) for r in got]
        expected = [Rec(r.partition, r.offset, r.key, r.value, r.headers, None) for r in expected]
    if got == expected:
        return
    lines = [f"records differ: got {len(got)}, expected {len(expected)}"]
    shown = 0
    for i in range(max(len(got), len(expected))):
        g = got[i] if i < len(got) else None
        e = expected[i] if i < len(expected) else None
        if g != e:
            lines.append(f"  [{i}] got      {g.short() if g else None}")
            lines.append(f"  [{i}] expected {e.short() if e else None}")
            shown += 1
            if shown >= 10:
                lines.append("  ...")
                break
    raise AssertionError("\n".join(lines))


# ---------------------------------------------------------------- kcat

def kcat(broker, *args: str, input: bytes | None = None, timeout: float = 30.0, check: bool = True
         ) -> subprocess.CompletedProcess:
    cmd = ["kcat", "-b", broker.bootstrap, "-X", "broker.address.family=v4",
           "-X", "socket.timeout.ms=10000", *args]
    try:
        res = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"kcat hung for {timeout}s: {' '.join(cmd)}\n"
                             f"stdout: {e.stdout!r}\nstderr: {e.stderr!r}")
    if check and res.returncode != 0:
        raise AssertionError(f"kcat failed (exit {res.returncode}): {' '.join(cmd)}\n"
                             f"stdout: {res.stdout[-2000:]!r}\nstderr: {res.stderr[-4000:].decode(errors='replace')}")
    return res


# Fields separated by \x1f with lengths, so any payload bytes (except newlines) parse back.
KCAT_FORMAT = "%p\\x1f%o\\x1f%T\\x1f%K\\x1f%k\\x1f%S\\x1f%s\\n"


def parse_kcat_records(out: bytes) -> list[Rec]:
    """Parses `kcat -C -f KCAT_FORMAT` output. kcat prints a null key/value as length -1."""
    recs = []
    rest = out
    while rest:
        parts = rest.split(b"\x1f", 4)
        assert len(parts) == 5, f"unparsable kcat output near {rest[:200]!r}"
        p, o, ts, klen, rest = int(parts[0]), int(parts[1]), int(parts[2]), int(parts[3]), parts[4]
        key = None if klen < 0 else rest[:klen]
        rest = rest[max(klen, 0):]
        assert rest[:1] == b"\x1f", f"bad separator after key in {rest[:100]!r}"
        vlen_s, rest = rest[1:].split(b"\x1f", 1)
        vlen = int(vlen_s)
        value = None if vlen < 0 else rest[:vlen]
        rest = rest[max(vlen, 0):]
        assert rest[:1] == b"\n", f"bad record end in {rest[:100]!r}"
        rest = rest[1:]
        recs.append(Rec(p, o, key, value, (), ts))
    return recs


def kcat_consume_all(broker, topic: str, *extra: str) -> list[Rec]:
    res = kcat(broker, "-C", "-t", topic, "-e", "-o", "beginning", "-q", "-X", "check.crcs=true",
               "-f", KCAT_FORMAT, *extra)
    return parse_kcat_records(res.stdout)


# ---------------------------------------------------------------- confluent-kafka

def ck_common(broker) -> dict:
    return {
        "bootstrap.servers": broker.bootstrap,
        "broker.address.family": "v4",
        "socket.timeout.ms": 10000,
        "reconnect.backoff.ms": 50,
        "reconnect.backoff.max.ms": 500,
    }


def ck_producer(broker, **conf):
    from confluent_kafka import Producer
    c = ck_common(broker)
    c.update({"acks": "all", "linger.ms": 5, "message.timeout.ms": 20000})
    c.update({k.replace("_", "."): v for k, v in conf.items()})
    return Producer(c)


def ck_consumer(broker, **conf):
    from confluent_kafka import Consumer
    c = ck_common(broker)
    # librdkafka insists on a group.id, but with assign() and no commits no group API is used.
    c.update({"group.id": "interop-unused", "enable.auto.commit": False,
              "enable.auto.offset.store": False, "enable.partition.eof": True,
              "check.crcs": True, "fetch.wait.max.ms": 200})
    c.update({k.replace("_", "."): v for k, v in conf.items()})
    return Consumer(c)


def ck_rec(msg) -> Rec:
    ts_type, ts = msg.timestamp()
    headers = tuple(msg.headers() or ())
    return Rec(msg.partition(), msg.offset(), msg.key(), msg.value(), headers, ts)


def ck_consume(consumer, expected_count: int, timeout: float = 20.0,
               eof_partitions: int | None = None) -> list[Rec]:
    """Polls until `expected_count` records arrived and (if given) `eof_partitions` partitions
    reported EOF after that, or `timeout`. Fails on any consumer error other than EOF."""
    from confluent_kafka import KafkaError
    recs: list[Rec] = []
    eof: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(recs) >= expected_count and (eof_partitions is None or len(eof) >= eof_partitions):
            break
        msg = consumer.poll(0.2)
        if msg is None:
            continue
        if msg.error():
            if msg.error().code() == KafkaError._PARTITION_EOF:
                eof.add(msg.partition())
                continue
            raise AssertionError(f"consumer error: {msg.error()}")
        eof.discard(msg.partition())
        recs.append(ck_rec(msg))
    return recs


def ck_produce(producer, topic: str, records: list[dict], flush_timeout: float = 20.0):
    """Produces records (dicts of produce() kwargs) and returns the delivery reports in order:
    a list of (error, partition, offset, timestamp, key, value)."""
    reports = [None] * len(records)

    def make_cb(i):
        def cb(err, msg):
            reports[i] = (err, msg.partition(), msg.offset(), msg.timestamp(), msg.key(), msg.value())
        return cb

    for i, r in enumerate(records):
        while True:
            try:
                producer.produce(topic, on_delivery=make_cb(i), **r)
                break
            except BufferError:
                producer.poll(0.05)
    remaining = producer.flush(flush_timeout)
    assert remaining == 0, f"{remaining} messages not delivered within {flush_timeout}s"
    assert all(r is not None for r in reports), "some delivery callbacks never ran"
    return reports


def produce_stream(broker, topic: str, action: Callable[[], None], total: int = 3000, **producer_conf) -> dict:
    """Produces `total` records ("stream-000000"...) to partition 0 of `topic` from a thread with
    a confluent-kafka producer (`producer_conf` on top of ck_producer's), and runs `action()`
    (typically a broker restart) once the first 200 are acknowledged. Waits for every delivery
    report; fails on any delivery error. Returns {offset: value} of the acknowledged records."""
    import threading
    producer = ck_producer(broker, **{"linger_ms": 2, "message_timeout_ms": 30000,
                                      "retry_backoff_ms": 50, **producer_conf})
    acked, failed = {}, []

    def cb(err, msg):
        if err is None:
            acked[msg.offset()] = msg.value()
        else:
            failed.append(err)

    def run():
        for i in range(total):
            while True:
                try:
                    producer.produce(topic, value=b"stream-%06d" % i, partition=0, on_delivery=cb)
                    break
                except BufferError:
                    producer.poll(0.01)
            if i % 20 == 0:  # paced (about 1.5 s in all) so the restart lands mid-stream
                producer.poll(0)
                time.sleep(0.01)
        producer.flush(40)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    wait_until(lambda: len(acked) >= 200, 20, "the first 200 acknowledgements")
    acked_before = len(acked)
    action()
    assert acked_before < total - 200, f"the restart came too late to interrupt the stream ({acked_before} acked)"
    t.join(45)
    assert not t.is_alive(), "the producer never finished after the restart"
    assert not failed, f"{len(failed)} delivery errors, e.g. {failed[:5]}"
    return acked


# ---------------------------------------------------------------- raw protocol (Fetch v4)

CODECS = {0: "none", 1: "gzip", 2: "snappy", 3: "lz4", 4: "zstd"}


def _kstr(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise AssertionError(f"broker closed the connection after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


@dataclass
class RawBatch:
    base_offset: int
    last_offset_delta: int
    magic: int
    attributes: int
    record_count: int
    size: int

    @property
    def codec(self) -> str:
        return CODECS.get(self.attributes & 7, f"unknown({self.attributes & 7})")


@dataclass
class RawFetch:
    error_code: int
    high_watermark: int
    batches: list[RawBatch] = field(default_factory=list)


def raw_fetch(broker, topic: str, partition: int, offset: int, max_bytes: int = 4 << 20,
              max_wait_ms: int = 100, min_bytes: int = 0, socket_timeout: float = CLIENT_TIMEOUT_S) -> RawFetch:
    """One Fetch v4 request over a plain socket; returns the batch headers of the partition.

    Lets a test see the attributes (compression codec) of the batches the broker serves,
    which no client library exposes."""
    body = struct.pack(">iiiib", -1, max_wait_ms, min_bytes, max_bytes, 0)  # replica, max_wait, min_bytes, max_bytes, isolation
    body += struct.pack(">i", 1) + _kstr(topic)
    body += struct.pack(">i", 1) + struct.pack(">iqi", partition, offset, max_bytes)
    header = struct.pack(">hhi", 1, 4, 7) + _kstr("interop-raw")
    frame = header + body
    with socket.create_connection((broker.host, broker.port), timeout=socket_timeout) as s:
        s.sendall(struct.pack(">i", len(frame)) + frame)
        (size,) = struct.unpack(">i", _recv_exact(s, 4))
        resp = _recv_exact(s, size)
    pos = 0

    def take(fmt):
        nonlocal pos
        vals = struct.unpack_from(fmt, resp, pos)
        pos += struct.calcsize(fmt)
        return vals if len(vals) > 1 else vals[0]

    corr = take(">i")
    assert corr == 7, f"correlation id {corr}"
    take(">i")  # throttle
    assert take(">i") == 1
    tlen = take(">h")
    assert resp[pos:pos + tlen].decode() == topic
    pos += tlen
    assert take(">i") == 1
    p, err, hw, lso = take(">ihqq")
    assert p == partition
    naborted = take(">i")
    pos += max(naborted, 0) * 16
    rlen = take(">i")
    records = resp[pos:pos + max(rlen, 0)]
    out = RawFetch(err, hw)
    bpos = 0
    while bpos + 61 <= len(records):
        base, blen, _epoch, magic, _crc, attrs, lod = struct.unpack_from(">qiibIhi", records, bpos)
        if bpos + 12 + blen > len(records):
            break  # partial trailing batch
        count = struct.unpack_from(">i", records, bpos + 57)[0]
        out.batches.append(RawBatch(base, lod, magic, attrs, count, 12 + blen))
        bpos += 12 + blen
    return out
