"""Helpers for the consumer-group and idempotence interop tests.

A `Member` is one consumer-group member running as its own process (interop/workers/*.py) that
reports what it does as JSON lines; the test reads them on a background thread and asserts on
the assignment each member had and on the records each member consumed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Iterable

from kafkahelpers import ck_common, ck_produce, ck_producer, wait_until

WORKERS = Path(__file__).resolve().parent / "workers"
STOP_DEADLINE_S = 20.0

# Short group timings (the broker runs with --group-min-session-timeout-ms 1000).
SESSION_MS = 3000
HEARTBEAT_MS = 300


# ---------------------------------------------------------------- topics and records

def create_topic(broker, topic: str, partitions: int = 6) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic
    admin = AdminClient(ck_common(broker))
    fut = admin.create_topics([NewTopic(topic, partitions, 1)], operation_timeout=10)[topic]
    fut.result(timeout=15)
    # Wait until the metadata shows every partition (consumers subscribe right after this).
    def ready():
        md = admin.list_topics(topic, timeout=5)
        t = md.topics.get(topic)
        return t is not None and t.error is None and len(t.partitions) == partitions
    wait_until(ready, 10, f"topic {topic} with {partitions} partitions in metadata")


def produce_keyed(broker, topic: str, first: int, count: int, tag: str = "r", producer=None) -> dict:
    """Produces `count` keyed records numbered first..first+count-1 (the key picks the
    partition); returns {(topic, partition, offset): (key, value)} from the delivery reports."""
    own = producer is None
    if own:
        producer = ck_producer(broker, acks="all")
    records = [dict(key=b"k%d" % i, value=b"%s-%d" % (tag.encode(), i)) for i in range(first, first + count)]
    reports = ck_produce(producer, topic, records)
    out = {}
    for err, p, off, _ts, key, value in reports:
        assert err is None, f"delivery failed: {err}"
        out[(topic, p, off)] = (key.decode(), value.decode())
    return out


def produce_to_partitions(broker, topic: str, counts: dict[int, int], tag: str = "r") -> dict:
    """Produces counts[p] records to each partition p explicitly; returns the same map as
    produce_keyed."""
    producer = ck_producer(broker, acks="all")
    records = []
    for p, n in sorted(counts.items()):
        records += [dict(partition=p, key=b"p%d-%d" % (p, i), value=b"%s-p%d-%d" % (tag.encode(), p, i))
                    for i in range(n)]
    reports = ck_produce(producer, topic, records)
    out = {}
    for err, p, off, _ts, key, value in reports:
        assert err is None, f"delivery failed: {err}"
        out[(topic, p, off)] = (key.decode(), value.decode())
    return out


# ---------------------------------------------------------------- members (worker processes)

class Member:
    """A group member process. `events` holds the parsed JSON lines in arrival order."""

    def __init__(self, name: str, script: str, args: list[str], log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"member-{name}.stderr"
        self.events: list[dict] = []
        self.lock = threading.Lock()
        cmd = [sys.executable, str(WORKERS / script), *args]
        self._stderr = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self._reader = threading.Thread(target=self._read, daemon=True, name=f"member-{name}")
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            try:
                ev = json.loads(line)
            except ValueError:
                ev = {"ev": "garbage", "line": line.decode(errors="replace")}
            ev["at"] = time.monotonic()
            with self.lock:
                self.events.append(ev)

    # ---- views ----
    def snapshot(self) -> list[dict]:
        with self.lock:
            return list(self.events)

    def assignment(self) -> set | None:
        """The current assignment as {(topic, partition)}: the last assign, minus what was
        revoked or lost since. None before the first assign."""
        current = None
        for ev in self.snapshot():
            if ev["ev"] == "assign" and ev.get("incremental"):
                current = (current or set()) | {tuple(tp) for tp in ev["partitions"]}
            elif ev["ev"] == "assign":
                current = {tuple(tp) for tp in ev["partitions"]}
            elif ev["ev"] in ("revoke", "lost"):
                current = (current or set()) - {tuple(tp) for tp in ev["partitions"]}
        return current

    def assigns(self) -> list[set]:
        return [{tuple(tp) for tp in ev["partitions"]} for ev in self.snapshot() if ev["ev"] == "assign"]

    def count(self, kind: str) -> int:
        return sum(1 for ev in self.snapshot() if ev["ev"] == kind)

    def records(self, since: float | None = None) -> list[tuple]:
        """[(topic, partition, offset, key, value)] in consumption order."""
        return [(ev["t"], ev["p"], ev["o"], ev["k"], ev["v"]) for ev in self.snapshot()
                if ev["ev"] == "rec" and (since is None or ev["at"] >= since)]

    def record_times(self) -> list[float]:
        """When (time.monotonic()) each consumed record was reported, in order."""
        return [ev["at"] for ev in self.snapshot() if ev["ev"] == "rec"]

    def committed(self) -> dict:
        """{(topic, partition): next offset} from this member's successful commits."""
        out = {}
        for ev in self.snapshot():
            if ev["ev"] == "commit":
                for t, p, o, err in ev["offsets"]:
                    if err is None:
                        out[(t, p)] = o
        return out

    def errors(self) -> list[dict]:
        return [ev for ev in self.snapshot() if ev["ev"] in ("error", "commit_failed", "garbage")]

    def stderr_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    def describe(self) -> str:
        evs = self.snapshot()
        kinds = Counter(ev["ev"] for ev in evs)
        interesting = [ {k: v for k, v in ev.items() if k != "at"} for ev in evs if ev["ev"] != "rec"][-12:]
        return (f"member {self.name} (pid {self.proc.pid}, exit {self.proc.poll()}): {dict(kinds)}\n"
                f"  last non-record events: {interesting}\n  stderr tail:\n{self.stderr_tail(15)}")

    # ---- lifecycle ----
    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_started(self, timeout: float = 15.0):
        wait_until(lambda: self.count("start") or not self.alive, timeout, f"member {self.name} to start")
        assert self.alive, self.describe()

    def stop(self, timeout: float = STOP_DEADLINE_S) -> int:
        """SIGTERM: the worker closes its consumer (LeaveGroup for dynamic members) and exits 0."""
        if self.alive:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"member {self.name} did not exit within {timeout}s of SIGTERM\n{self.describe()}")
        self._reader.join(5)
        assert code == 0, f"member {self.name} exited with {code}\n{self.describe()}"
        assert self.count("closed") == 1, self.describe()
        return code

    def stop_committing(self, timeout: float = 10.0):
        """SIGUSR1 (ck_member.py): no more manual commits from now on."""
        self.proc.send_signal(signal.SIGUSR1)
        wait_until(lambda: self.count("nocommit") or not self.alive, timeout, f"member {self.name} to stop committing")
        assert self.alive, self.describe()

    def kill(self):
        """SIGKILL: the member vanishes without LeaveGroup or commit."""
        if self.alive:
            self.proc.kill()
        self.proc.wait()
        self._reader.join(5)

    def cleanup(self):
        if self.alive:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()


class Members:
    """Starts members and cleans up the survivors when the test ends (used as a fixture)."""

    def __init__(self, broker, log_dir: Path):
        self.broker = broker
        self.log_dir = log_dir
        self.all: list[Member] = []

    def ck(self, name: str, group: str, topics: Iterable[str], *, commit: str = "manual",
           session_ms: int = SESSION_MS, heartbeat_ms: int = HEARTBEAT_MS, assignor: str = "range",
           instance_id: str | None = None, conf: dict | None = None, protocol: str = "classic",
           remote_assignor: str | None = None) -> Member:
        args = ["--bootstrap", self.broker.bootstrap, "--group", group, "--commit", commit,
                "--session-timeout-ms", str(session_ms), "--heartbeat-ms", str(heartbeat_ms),
                "--assignor", assignor, "--client-id", f"ck-{name}", "--protocol", protocol]
        if remote_assignor:
            args += ["--remote-assignor", remote_assignor]
        for t in topics:
            args += ["--topic", t]
        if instance_id:
            args += ["--instance-id", instance_id]
        for k, v in (conf or {}).items():
            args += ["--conf", f"{k}={v}"]
        m = Member(name, "ck_member.py", args, self.log_dir)
        self.all.append(m)
        return m

    def kp(self, name: str, group: str, topics: Iterable[str], *, commit: str = "manual",
           session_ms: int = SESSION_MS, heartbeat_ms: int = HEARTBEAT_MS, assignor: str = "range") -> Member:
        args = ["--bootstrap", self.broker.bootstrap, "--group", group, "--commit", commit,
                "--session-timeout-ms", str(session_ms), "--heartbeat-ms", str(heartbeat_ms),
                "--assignor", assignor, "--client-id", f"kp-{name}"]
        for t in topics:
            args += ["--topic", t]
        m = Member(name, "kp_member.py", args, self.log_dir)
        self.all.append(m)
        return m

    def describe(self) -> str:
        return "\n".join(m.describe() for m in self.all)

    def cleanup(self):
        for m in self.all:
            m.cleanup()


# ---------------------------------------------------------------- group-level checks

def all_partitions(topics: Iterable[str], partitions: int = 6) -> set:
    return {(t, p) for t in topics for p in range(partitions)}


def split_ok(members: list[Member], expected: set) -> bool:
    """True when every member has a non-empty assignment, the assignments are pairwise
    disjoint and together cover exactly `expected`."""
    seen: set = set()
    for m in members:
        a = m.assignment()
        if not a or a & seen:
            return False
        seen |= a
    return seen == expected


def wait_split(members: list[Member], expected: set, timeout: float, what: str = "", balanced: bool = False) -> dict:
    """Waits until the members' current assignments split `expected` disjointly (and, with
    `balanced`, evenly: sizes differ by at most one — an incremental rebalance passes through
    disjoint but uneven splits while a partition waits for its revocation); returns
    {member name: assignment}."""
    def ok():
        for m in members:
            assert m.alive, f"member {m.name} died\n{m.describe()}"
        if not split_ok(members, expected):
            return False
        sizes = [len(m.assignment() or ()) for m in members]
        return not balanced or max(sizes) - min(sizes) <= 1
    try:
        wait_until(ok, timeout, f"assignments of {[m.name for m in members]} to split {len(expected)} "
                                f"partitions {what}", interval=0.05)
    except AssertionError as e:
        raise AssertionError(f"{e}\ncurrent: { {m.name: sorted(m.assignment() or ()) for m in members} }\n"
                             + "\n".join(m.describe() for m in members)) from None
    return {m.name: m.assignment() for m in members}


def consumed(members: Iterable[Member], since: float | None = None) -> list[tuple]:
    out = []
    for m in members:
        out += [(m.name, *r) for r in m.records(since)]
    return out


def wait_consumed(members: list[Member], expected: dict, timeout: float, since: float | None = None,
                  what: str = "records") -> list[tuple]:
    """Waits until every (topic, partition, offset) of `expected` has been consumed by one of
    `members` (optionally only counting records consumed after `since`)."""
    def done():
        got = {(t, p, o) for _, t, p, o, _, _ in consumed(members, since)}
        return got >= expected.keys()
    try:
        wait_until(done, timeout, f"{len(expected)} {what} to be consumed", interval=0.05)
    except AssertionError as e:
        got = {(t, p, o) for _, t, p, o, _, _ in consumed(members, since)}
        missing = sorted(expected.keys() - got)
        raise AssertionError(f"{e}: {len(missing)} missing, e.g. {missing[:10]}\n"
                             + "\n".join(m.describe() for m in members)) from None
    return consumed(members, since)


def assert_exactly_once(got: list[tuple], expected: dict, owners: dict | None = None):
    """`got` = [(member, topic, partition, offset, key, value)]: every expected record exactly
    once, with the produced key/value, nothing else; if `owners` ({member: assignment}) is
    given, each record was consumed by the member owning its partition."""
    assert expected, "nothing expected"
    counts = Counter((t, p, o) for _, t, p, o, _, _ in got)
    dups = sorted(k for k, n in counts.items() if n > 1)
    extra = sorted(counts.keys() - expected.keys())
    missing = sorted(expected.keys() - counts.keys())
    assert not dups and not extra and not missing, (
        f"consumed {len(got)} records for {len(expected)} expected: {len(dups)} duplicated "
        f"(e.g. {[(k, [m for m, *r in got if tuple(r[:3]) == k]) for k in dups[:5]]}), "
        f"{len(extra)} unexpected (e.g. {extra[:5]}), {len(missing)} missing (e.g. {missing[:5]})")
    for m, t, p, o, k, v in got:
        assert (k, v) == expected[(t, p, o)], f"{t}/{p}@{o}: got {(k, v)}, produced {expected[(t, p, o)]}"
        if owners is not None:
            assert (t, p) in owners[m], f"{t}/{p}@{o} consumed by {m}, which does not own it: {owners}"


def group_committed(broker, group: str, topic: str, partitions: int = 6) -> dict:
    """{partition: committed offset (or -1)} read with confluent-kafka Consumer.committed()
    (OffsetFetch) for a group, without joining it."""
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer(dict(ck_common(broker), **{"group.id": group, "enable.auto.commit": False}))
    try:
        res = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
        for tp in res:
            assert tp.error is None, tp.error
        return {tp.partition: tp.offset for tp in res}
    finally:
        c.close()


def assert_owned(got: list[tuple], keys, owners: dict):
    """Each record of `got` whose (topic, partition, offset) is in `keys` was consumed by the
    member that owned its partition according to `owners` ({member: assignment})."""
    keys = set(keys)
    for m, t, p, o, _k, _v in got:
        if (t, p, o) in keys:
            assert (t, p) in owners.get(m, ()), f"{t}/{p}@{o} consumed by {m}, which does not own it: {owners}"


def end_offsets(expected: dict) -> dict:
    """{(topic, partition): last offset + 1} of a produced-records map."""
    out: dict = {}
    for t, p, o in expected:
        out[(t, p)] = max(out.get((t, p), 0), o + 1)
    return out


def merged_commits(members: Iterable[Member]) -> dict:
    """{(topic, partition): highest successfully committed offset} over `members`."""
    out: dict = {}
    for m in members:
        for tp, o in m.committed().items():
            out[tp] = max(out.get(tp, -1), o)
    return out


def wait_committed(members: list[Member], target: dict, timeout: float):
    """Waits until the members' successful commits reach `target` ({(topic, partition): offset})."""
    def done():
        c = merged_commits(members)
        return all(c.get(tp, -1) >= o for tp, o in target.items())
    try:
        wait_until(done, timeout, "commits to reach the end offsets")
    except AssertionError as e:
        raise AssertionError(f"{e}: committed {merged_commits(members)}, target {target}\n"
                             + "\n".join(m.describe() for m in members)) from None


# ---------------------------------------------------------------- raw idempotent produce

def raw_request(broker, api_key: int, version: int, body: bytes, corr: int = 11, timeout: float = 10.0) -> bytes:
    """One non-flexible request over a plain socket; returns the response after the
    correlation id (which is checked)."""
    import socket
    import struct

    from kafkahelpers import _kstr, _recv_exact
    frame = struct.pack(">hhi", api_key, version, corr) + _kstr("interop-raw") + body
    with socket.create_connection((broker.host, broker.port), timeout=timeout) as s:
        s.sendall(struct.pack(">i", len(frame)) + frame)
        (size,) = struct.unpack(">i", _recv_exact(s, 4))
        resp = _recv_exact(s, size)
    (got,) = struct.unpack_from(">i", resp, 0)
    assert got == corr, f"correlation id {got} != {corr}"
    return resp[4:]


def raw_init_producer_id(broker) -> tuple[int, int, int]:
    """InitProducerId v0 with a null transactional id: (error, producer_id, epoch)."""
    import struct
    resp = raw_request(broker, 22, 0, struct.pack(">hi", -1, 60000))
    _throttle, err, pid, epoch = struct.unpack_from(">ihqh", resp, 0)
    return err, pid, epoch


def idempotent_batch(pid: int, epoch: int, base_sequence: int, values: list[bytes]) -> bytes:
    """A magic-2 record batch carrying a producer id, epoch and base sequence."""
    from kafka.record.default_records import DefaultRecordBatchBuilder
    b = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=False, producer_id=pid,
                                  producer_epoch=epoch, base_sequence=base_sequence, batch_size=1 << 20)
    ts = int(time.time() * 1000)
    for i, v in enumerate(values):
        assert b.append(i, ts, None, v, []) is not None
    return bytes(b.build())


def raw_produce(broker, topic: str, partition: int, batch: bytes, acks: int = -1) -> tuple[int, int]:
    """Produce v3 of one batch to one partition: (error, base_offset)."""
    import struct

    from kafkahelpers import _kstr
    body = struct.pack(">h", -1) + struct.pack(">hi", acks, 10000)
    body += struct.pack(">i", 1) + _kstr(topic) + struct.pack(">i", 1)
    body += struct.pack(">ii", partition, len(batch)) + batch
    resp = raw_request(broker, 0, 3, body)
    pos = 0
    (ntopics,) = struct.unpack_from(">i", resp, pos); pos += 4
    assert ntopics == 1
    (tlen,) = struct.unpack_from(">h", resp, pos); pos += 2 + tlen
    (nparts,) = struct.unpack_from(">i", resp, pos); pos += 4
    assert nparts == 1
    p, err, base, _log_append = struct.unpack_from(">ihqq", resp, pos)
    assert p == partition
    return err, base


# ---------------------------------------------------------------- lossy proxy (lost acknowledgements)

def free_port() -> int:
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AckDroppingProxy:
    """A TCP proxy in front of the broker (start the broker with --advertise pointing here, so
    every client connection goes through it). When armed, it swallows the next Produce
    response, cuts that client connection and refuses new ones until release(): the broker
    has appended the batch, the client never heard about it and must retry -- the exact case
    sequence-number deduplication exists for."""

    def __init__(self, listen_port: int, broker_port: int):
        import socket
        self.broker_port = broker_port
        self.lock = threading.Lock()
        self.armed = False
        self.held = False
        self.dropped = threading.Event()
        self.dropped_info: dict = {}
        self.conns: list = []
        self.srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", listen_port))
        self.srv.listen(64)
        self.closed = False
        threading.Thread(target=self._accept, daemon=True, name="proxy-accept").start()

    def arm(self):
        with self.lock:
            self.armed, self.held = True, False
            self.dropped.clear()

    def release(self):
        with self.lock:
            self.held = False

    def close(self):
        self.closed = True
        try:
            self.srv.close()
        except OSError:
            pass
        for s in list(self.conns):
            try:
                s.close()
            except OSError:
                pass

    def _accept(self):
        import socket
        while not self.closed:
            try:
                client, _ = self.srv.accept()
            except OSError:
                return
            with self.lock:
                held = self.held
            if held:
                client.close()
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.broker_port), timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            self.conns += [client, upstream]
            api_of = {}   # correlation id -> (api key, version) of requests on this connection
            threading.Thread(target=self._pump_requests, args=(client, upstream, api_of), daemon=True).start()
            threading.Thread(target=self._pump_responses, args=(upstream, client, api_of), daemon=True).start()

    @staticmethod
    def _read_frame(sock):
        import struct
        head = b""
        while len(head) < 4:
            chunk = sock.recv(4 - len(head))
            if not chunk:
                return None
            head += chunk
        (size,) = struct.unpack(">i", head)
        body = bytearray()
        while len(body) < size:
            chunk = sock.recv(min(65536, size - len(body)))
            if not chunk:
                return None
            body += chunk
        return head + bytes(body)

    def _shut(self, *socks):
        import socket
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                s.close()
            except OSError:
                pass

    def _pump_requests(self, client, upstream, api_of):
        import struct
        try:
            while True:
                frame = self._read_frame(client)
                if frame is None:
                    break
                key, ver, corr = struct.unpack_from(">hhi", frame, 4)
                api_of[corr] = (key, ver)
                upstream.sendall(frame)
        except OSError:
            pass
        self._shut(client, upstream)

    def _pump_responses(self, upstream, client, api_of):
        import struct
        try:
            while True:
                frame = self._read_frame(upstream)
                if frame is None:
                    break
                (corr,) = struct.unpack_from(">i", frame, 4)
                key, ver = api_of.pop(corr, (None, None))
                with self.lock:
                    drop = self.armed and key == 0
                    if drop:
                        self.armed, self.held = False, True
                if drop:
                    self.dropped_info = {"correlation_id": corr, "version": ver, "bytes": len(frame)}
                    self.dropped.set()
                    break
                client.sendall(frame)
        except OSError:
            pass
        self._shut(client, upstream)
