"""The `kaffee` command line as a real process against a real kaffeed, cross-checked byte for
byte with kcat, confluent-kafka and kafka-python.

The binary comes from $KAFFEE (default .build/debug/kaffee, relative to the repository root);
every command gets the broker through KAFFEE_BROKERS unless a test passes --brokers itself.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO
from kafkahelpers import (Rec, assert_same_records, ck_common, ck_consume, ck_consumer, ck_produce,
                          ck_producer, kcat, kcat_consume_all, now_ms, wait_until)

BROKER_ARGS = ["--default-partitions", "1", "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000"]

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_NOT_FOUND, EXIT_INTERRUPTED = 0, 1, 2, 3, 4, 130
UNREACHABLE = "127.0.0.1:1"


# ---------------------------------------------------------------- running kaffee

def kaffee_binary() -> Path:
    path = Path(os.environ.get("KAFFEE", ".build/debug/kaffee"))
    if not path.is_absolute():
        path = path.resolve() if path.exists() else (REPO / path)
    return path


@pytest.fixture(scope="module")
def kaffee_bin() -> Path:
    path = kaffee_binary()
    assert path.exists(), f"kaffee binary not found at {path} (set KAFFEE or run swift build --product kaffee)"
    return path


def kaffee_env(broker) -> dict:
    env = dict(os.environ)
    env["KAFFEE_BROKERS"] = broker.bootstrap if broker is not None else UNREACHABLE
    return env


def run_kaffee(broker, *args: str, input: bytes | None = None, timeout: float = 60.0,
               expect: int | None = 0) -> subprocess.CompletedProcess:
    """Runs `kaffee ARGS` with KAFFEE_BROKERS pointing at `broker`; checks the exit code
    against `expect` (None: any) and returns the completed process (bytes stdout/stderr)."""
    cmd = [str(kaffee_binary()), *args]
    try:
        res = subprocess.run(cmd, input=input if input is not None else b"", capture_output=True,
                             timeout=timeout, env=kaffee_env(broker))
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"kaffee hung for {timeout}s: {' '.join(cmd)}\n"
                             f"stdout: {(e.stdout or b'')[-2000:]!r}\nstderr: {(e.stderr or b'')[-2000:]!r}")
    if expect is not None and res.returncode != expect:
        raise AssertionError(f"kaffee exited {res.returncode}, expected {expect}: {' '.join(cmd)}\n"
                             f"stdout: {res.stdout[-2000:]!r}\nstderr: {res.stderr[-4000:].decode(errors='replace')}")
    return res


def create_topic(broker, topic: str, partitions: int) -> None:
    res = run_kaffee(broker, "topics", "create", topic, "--partitions", str(partitions))
    assert res.stdout.decode().strip() == f"created topic {topic}", res.stdout


def ck_read_all(broker, topic: str, partitions: int, count: int) -> list[Rec]:
    from confluent_kafka import OFFSET_BEGINNING, TopicPartition
    c = ck_consumer(broker)
    try:
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(partitions)])
        return ck_consume(c, count, eof_partitions=partitions)
    finally:
        c.close()


def kcat_headers(broker, topic: str) -> dict[tuple[int, int], bytes]:
    """{(partition, offset): kcat's %h rendering} for every record of `topic`."""
    out = kcat(broker, "-C", "-t", topic, "-e", "-o", "beginning", "-q",
               "-f", "%p\\x1f%o\\x1f%h\\x1e").stdout
    result = {}
    for chunk in out.split(b"\x1e"):
        if chunk:
            p, o, h = chunk.split(b"\x1f", 2)
            result[(int(p), int(o))] = h
    return result


def ck_committed(broker, group: str, topic: str, partitions: int) -> dict[int, int]:
    """The group's committed offsets (OffsetFetch through confluent-kafka; -1001 = none)."""
    from confluent_kafka import Consumer, TopicPartition
    conf = ck_common(broker)
    conf.update({"group.id": group, "enable.auto.commit": False})
    c = Consumer(conf)
    try:
        tps = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=10)
        return {tp.partition: tp.offset for tp in tps}
    finally:
        c.close()


def describe_group(broker, group: str) -> tuple[str, dict[tuple[str, int], tuple[int, int, int]]]:
    """`kaffee groups describe G`: (header line, {(topic, partition): (committed, hw, lag)});
    committed is -1 when shown as '-'."""
    out = run_kaffee(broker, "groups", "describe", group).stdout.decode()
    lines = out.splitlines()
    assert lines and lines[0].startswith(f"group {group} "), out
    rows = {}
    in_table = False
    for line in lines[1:]:
        cols = line.strip().split("\t")
        if cols[:2] == ["TOPIC", "PARTITION"]:
            in_table = True
            continue
        if in_table:
            assert len(cols) == 6, f"bad table row {line!r} in\n{out}"
            committed = -1 if cols[2] == "-" else int(cols[2])
            rows[(cols[0], int(cols[1]))] = (committed, int(cols[3]), int(cols[4]))
    assert in_table, out
    return lines[0], rows


# ---------------------------------------------------------------- produce from stdin

# Values of every awkward kind: invalid UTF-8, NUL, CR at the end (kept as data), an empty
# line, tabs, multi-byte UTF-8, a long line.
PLAIN_LINES = [
    b"hello",
    b"",
    b"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
    b"\xff\xfe\x00binary\x80\xc3(",
    b"tab\there\r",
    b"x" * 3000,
    b"",
    b"last",
]


def test_produce_plain_lines_from_stdin(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    res = run_kaffee(broker, "produce", topic_name, input=b"\n".join(PLAIN_LINES) + b"\n")
    assert f"produced {len(PLAIN_LINES)} records to {topic_name}: {len(PLAIN_LINES)} acknowledged, 0 failed" \
        in res.stderr.decode(), res.stderr
    expected = [Rec(0, i, None, v) for i, v in enumerate(PLAIN_LINES)]
    assert_same_records(kcat_consume_all(broker, topic_name), expected, compare_ts=False)
    got = ck_read_all(broker, topic_name, 1, len(PLAIN_LINES))
    assert_same_records(got, expected, compare_ts=False)
    stamps = [r.timestamp for r in got]
    assert all(abs(ts - now_ms()) < 120_000 for ts in stamps), stamps


def test_produce_last_line_without_newline(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    run_kaffee(broker, "produce", topic_name, input=b"one\ntwo\n\nthree-no-newline")
    expected = [Rec(0, i, None, v) for i, v in enumerate([b"one", b"two", b"", b"three-no-newline"])]
    assert_same_records(kcat_consume_all(broker, topic_name), expected, compare_ts=False)


def test_produce_with_key_separator_and_headers(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    lines = [
        (b"k1:v1", b"k1", b"v1"),
        (b"k2:v:with:colons", b"k2", b"v:with:colons"),   # split at the first separator only
        (b"no separator here", None, b"no separator here"),
        (b":empty key", b"", b"empty key"),
        (b"empty value:", b"empty value", b""),
        (b"", None, b""),                                 # an empty line: empty value, no key
        (b"\xff\x00k:\xfe\x80v", b"\xff\x00k", b"\xfe\x80v"),  # invalid UTF-8 on both sides
        (b"\xc3\xbc:\xe2\x82\xac", b"\xc3\xbc", b"\xe2\x82\xac"),
    ]
    stdin = b"".join(line + b"\n" for line, _, _ in lines)
    run_kaffee(broker, "produce", topic_name, "--key-separator", ":", "--header", "a=b",
               "--header", "trace=x=y", "--header", "empty=", input=stdin)
    headers = (("a", b"b"), ("trace", b"x=y"), ("empty", b""))

    expected = [Rec(0, i, k, v, headers) for i, (_, k, v) in enumerate(lines)]
    # kcat: exact key/value bytes (length-prefixed, so null and empty keys differ) ...
    assert_same_records(kcat_consume_all(broker, topic_name),
                        [Rec(r.partition, r.offset, r.key, r.value) for r in expected], compare_ts=False)
    # ... and headers in order, as kcat renders them.
    hdrs = kcat_headers(broker, topic_name)
    assert hdrs == {(0, i): b"a=b,trace=x=y,empty=" for i in range(len(lines))}, hdrs
    # confluent-kafka: everything including headers as bytes.
    assert_same_records(ck_read_all(broker, topic_name, 1, len(lines)), expected, compare_ts=False)


def test_produce_multichar_separator_and_explicit_partition(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 3)
    run_kaffee(broker, "produce", topic_name, "--key-separator", "::", "--partition", "2",
               input=b"a::1\nb:2\nc::3::x\n")
    expected = [Rec(2, 0, b"a", b"1"), Rec(2, 1, None, b"b:2"), Rec(2, 2, b"c", b"3::x")]
    assert_same_records(kcat_consume_all(broker, topic_name), expected, compare_ts=False)


# ---------------------------------------------------------------- consume what others produced

def _produce_mixed(broker, topic: str, tmp_path) -> list[Rec]:
    """Produces a mix with confluent-kafka (explicit partitions, keys, binary headers, a null
    value, a fixed timestamp) and kcat (-K: -H); returns every record as a consumer sees it."""
    fixed_ts = now_ms() - 3_600_000
    records = [
        dict(partition=0, key=b"ck-1", value=b"plain value", headers=[("h1", b"v1")]),
        dict(partition=1, key=b"\xff\xfekey", value=b"\x00\xffnot utf8\x80", headers=[("bin", b"\xff\x00"), ("h1", b"x")]),
        dict(partition=2, key=None, value=b"caf\xc3\xa9", timestamp=fixed_ts),
        dict(partition=0, key=b"tomb", value=None),
        dict(partition=1, key=b"", value=b"", headers=[("empty", b"")]),
        dict(partition=2, key=b"k=eq:col", value=b"value with = and : and\ttab"),
    ]
    reports = ck_produce(ck_producer(broker), topic, records)
    assert all(r[0] is None for r in reports), reports
    src = tmp_path / "kcat-input.txt"
    kcat_lines = [b"kk1:kcat value 1", b"kk2:kcat \xc3\xa9 2", b"kk3:kcat:three"]
    src.write_bytes(b"".join(line + b"\n" for line in kcat_lines))
    kcat(broker, "-P", "-t", topic, "-p", "1", "-K:", "-H", "src=kcat", "-H", "n=1", "-l", str(src))
    total = len(records) + len(kcat_lines)
    got = ck_read_all(broker, topic, 3, total)
    assert len(got) == total, got
    by_ts = {(r.partition, r.offset): r.timestamp for r in got}
    p, o = reports[2][1], reports[2][2]
    assert by_ts[(p, o)] == fixed_ts, (by_ts, fixed_ts)
    return got


def test_consume_plain_format_and_json(broker, kaffee_bin, topic_name, tmp_path):
    create_topic(broker, topic_name, 3)
    recs = _produce_mixed(broker, topic_name, tmp_path)
    by_po = {(r.partition, r.offset): r for r in recs}

    # Plain: every value on its own line (a null value prints as an empty line). Partitions
    # interleave in any order, but each partition's values stay in offset order.
    out = run_kaffee(broker, "consume", topic_name, "--exit-at-end").stdout
    assert out.endswith(b"\n"), out
    lines = out[:-1].split(b"\n")
    assert sorted(lines) == sorted((r.value or b"") for r in recs), lines

    # --format: partition, offset, key, value as raw bytes.
    out = run_kaffee(broker, "consume", topic_name, "--exit-at-end", "--format", "%p:%o:%k=%v\\n").stdout
    seen = []
    for line in out[:-1].split(b"\n"):
        p, o, rest = line.split(b":", 2)
        seen.append((int(p), int(o), rest))
    expected = {(r.partition, r.offset, (r.key or b"") + b"=" + (r.value or b"")) for r in recs}
    assert set(seen) == expected and len(seen) == len(expected), seen
    for part in range(3):
        offsets = [o for p, o, _ in seen if p == part]
        assert offsets == sorted(offsets) == list(range(len(offsets))), (part, offsets)

    # --format with the other directives: topic, timestamp, headers, %% and a tab.
    out = run_kaffee(broker, "consume", topic_name, "--exit-at-end", "--partition", "1",
                     "--format", "%t|%T|%h|%%\\t%o\\n").stdout.decode(errors="replace")
    rows = [line.split("|") for line in out.splitlines()]
    p1 = sorted((r for r in recs if r.partition == 1), key=lambda r: r.offset)
    assert len(rows) == len(p1), out
    for row, r in zip(rows, p1):
        assert row[0] == topic_name and int(row[1]) == r.timestamp, (row, r)
        assert row[2] == ",".join(f"{k}={(v or b'').decode(errors='replace')}" for k, v in r.headers), (row, r)
        assert row[3] == f"%\t{r.offset}", row

    # --json: one object per line; keys/values as strings when UTF-8, else {"base64": ...}.
    out = run_kaffee(broker, "consume", topic_name, "--exit-at-end", "--json").stdout
    objs = [json.loads(line) for line in out.splitlines()]
    assert len(objs) == len(recs), out

    def decode(field):
        if field is None:
            return None
        if isinstance(field, dict):
            assert set(field) == {"base64"}, field
            raw = base64.b64decode(field["base64"], validate=True)
            assert not _is_utf8(raw), f"{raw!r} is valid UTF-8 but came as base64"
            return raw
        assert isinstance(field, str), field
        return field.encode()

    for obj in objs:
        assert set(obj) == {"topic", "partition", "offset", "timestamp", "key", "value", "headers"}, obj
        r = by_po[(obj["partition"], obj["offset"])]
        assert obj["topic"] == topic_name
        assert obj["timestamp"] == r.timestamp, (obj, r)
        assert decode(obj["key"]) == r.key, (obj, r)
        assert decode(obj["value"]) == r.value, (obj, r)
        assert {k: decode(v) for k, v in obj["headers"].items()} == dict(r.headers), (obj, r)
    # The non-UTF-8 value and key really are base64 objects.
    binary = [o for o in objs if isinstance(o["value"], dict)]
    assert len(binary) == 1 and base64.b64decode(binary[0]["value"]["base64"]) == b"\x00\xffnot utf8\x80", binary
    assert base64.b64decode(binary[0]["key"]["base64"]) == b"\xff\xfekey"
    assert base64.b64decode(binary[0]["headers"]["bin"]["base64"]) == b"\xff\x00"


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def test_consume_partition_offset_timestamp_and_count(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 2)
    base = now_ms() - 100_000
    records = [dict(partition=i % 2, value=b"v%d" % i, timestamp=base + i * 1000) for i in range(20)]
    ck_produce(ck_producer(broker), topic_name, records)
    # Partition 1 from offset 7: v15, v17, v19.
    out = run_kaffee(broker, "consume", topic_name, "--partition", "1", "--offset", "7", "--exit-at-end").stdout
    assert out == b"v15\nv17\nv19\n", out
    # From a timestamp: records at or after base+16000 -> v16..v19.
    out = run_kaffee(broker, "consume", topic_name, "--timestamp", str(base + 16_000), "--exit-at-end").stdout
    assert sorted(out.split()) == [b"v16", b"v17", b"v18", b"v19"], out
    # --count stops after N.
    out = run_kaffee(broker, "consume", topic_name, "--partition", "0", "--count", "3").stdout
    assert out == b"v0\nv2\nv4\n", out
    # --offset end with --exit-at-end: nothing, promptly.
    out = run_kaffee(broker, "consume", topic_name, "--offset", "end", "--exit-at-end", timeout=20).stdout
    assert out == b"", out


# ---------------------------------------------------------------- key partitioning

class _OneTopicCluster:
    """Just enough ClusterMetadata for kafka-python's DefaultPartitioner."""

    def __init__(self, topic: str, partitions: int):
        self.topic, self.parts = topic, set(range(partitions))

    def topics(self):
        return {self.topic}

    def partitions_for_topic(self, topic):
        return self.parts

    def available_partitions_for_topic(self, topic):
        return self.parts


def test_keys_land_on_java_default_partitions(broker, kaffee_bin, topic_name):
    from kafka.partitioner.default import DefaultPartitioner, murmur2

    topic_ck = topic_name + "-ck"
    create_topic(broker, topic_name, 6)
    create_topic(broker, topic_ck, 6)
    keys = [b"key-%d" % i for i in range(300)]
    keys += [b"a", b"ab", b"abc", b"abcd", b"abcde", b"", b"\xff\xfe\xfd", b"\x00\x01\x02\x03\x04",
             "ünïcödé-ключ-鍵".encode(), b"k" * 257, b"user:42", b"order/2024/0001"]
    assert len(set(keys)) == len(keys)
    # '\t' separates: no key contains one.
    stdin = b"".join(k + b"\t" + b"value-of-" + k + b"\n" for k in keys)
    run_kaffee(broker, "produce", topic_name, "--key-separator", "\t", input=stdin)

    partitioner = DefaultPartitioner()
    cluster = _OneTopicCluster(topic_name, 6)
    java = {k: partitioner.partition(topic_name, k, k, None, None, cluster) for k in keys}
    assert java[b"abc"] == (murmur2(b"abc") & 0x7FFFFFFF) % 6
    assert len(set(java.values())) == 6, "the keys should cover every partition"

    got = kcat_consume_all(broker, topic_name)
    assert len(got) == len(keys), got
    kaffee_parts = {}
    for r in got:
        assert r.value == b"value-of-" + r.key, r
        kaffee_parts[r.key] = r.partition
    wrong = {k: (kaffee_parts.get(k), java[k]) for k in keys if kaffee_parts.get(k) != java[k]}
    assert not wrong, f"kaffee vs kafka-python murmur2 partition differs for {len(wrong)} keys: {list(wrong.items())[:10]}"

    # librdkafka's murmur2_random puts the same keys on the same partitions.
    reports = ck_produce(ck_producer(broker, partitioner="murmur2_random"), topic_ck,
                         [dict(key=k, value=b"v") for k in keys if k != b""])
    ck_parts = {key: p for err, p, _o, _ts, key, _v in reports if err is None}
    assert len(ck_parts) == len(keys) - 1
    # (librdkafka treats an empty key like a null key: random; so it is left out above.)
    wrong = {k: (kaffee_parts[k], ck_parts[k]) for k in ck_parts if kaffee_parts[k] != ck_parts[k]}
    assert not wrong, f"kaffee vs confluent-kafka murmur2_random differs: {list(wrong.items())[:10]}"


def test_keyless_records_are_spread_and_explicit_partition_wins(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 6)
    run_kaffee(broker, "produce", topic_name, "--key-separator", "|", "--partition", "4",
               input=b"".join(b"key-%d|v\n" % i for i in range(50)))
    got = kcat_consume_all(broker, topic_name)
    assert len(got) == 50 and {r.partition for r in got} == {4}, {r.partition for r in got}


# ---------------------------------------------------------------- consumer groups

def test_group_consume_commit_lag_reset(broker, kaffee_bin, topic_name):
    group = "g-" + topic_name
    create_topic(broker, topic_name, 3)
    reports = ck_produce(ck_producer(broker), topic_name,
                         [dict(key=b"k%d" % i, value=b"first-%d" % i) for i in range(30)])
    per_part = {p: 0 for p in range(3)}
    for _e, p, _o, _t, _k, _v in reports:
        per_part[p] += 1

    out = run_kaffee(broker, "consume", topic_name, "--group", group, "--from-beginning",
                     "--exit-at-end", "--format", "%p:%o:%v\\n").stdout.decode()
    rows = [line.split(":", 2) for line in out.splitlines()]
    assert sorted((int(p), int(o)) for p, o, _ in rows) == sorted((r[1], r[2]) for r in reports), out
    assert sorted(v for _, _, v in rows) == sorted("first-%d" % i for i in range(30))

    # Committed = high watermark, lag 0, on every partition; confluent-kafka agrees.
    header, table = describe_group(broker, group)
    assert "members 0" in header, header
    assert table == {(topic_name, p): (n, n, 0) for p, n in per_part.items()}, table
    assert ck_committed(broker, group, topic_name, 3) == per_part

    # `groups list` shows the group.
    listed = run_kaffee(broker, "groups", "list").stdout.decode().splitlines()
    assert any(line.split("\t")[0] == group for line in listed), listed

    # Seven more records: the lag is exactly those.
    more = ck_produce(ck_producer(broker), topic_name,
                      [dict(key=b"m%d" % i, value=b"more-%d" % i) for i in range(7)])
    new = {p: 0 for p in range(3)}
    for _e, p, _o, _t, _k, _v in more:
        new[p] += 1
    _, table = describe_group(broker, group)
    assert table == {(topic_name, p): (per_part[p], per_part[p] + new[p], new[p]) for p in range(3)}, table
    assert sum(lag for _c, _h, lag in table.values()) == 7

    # Consuming again continues from the committed offsets: only the seven new ones.
    out = run_kaffee(broker, "consume", topic_name, "--group", group, "--exit-at-end").stdout.decode()
    assert sorted(out.split()) == sorted("more-%d" % i for i in range(7)), out
    _, table = describe_group(broker, group)
    assert all(lag == 0 for _c, _h, lag in table.values()), table

    # Reset to the earliest: committed 0 everywhere, and a consumer re-reads all 37.
    res = run_kaffee(broker, "groups", "reset-offsets", group, "--topic", topic_name, "--to-earliest")
    assert res.stdout.decode().split() == [f"{topic_name}-0", "0", f"{topic_name}-1", "0", f"{topic_name}-2", "0"], res.stdout
    assert ck_committed(broker, group, topic_name, 3) == {0: 0, 1: 0, 2: 0}
    _, table = describe_group(broker, group)
    assert table == {(topic_name, p): (0, per_part[p] + new[p], per_part[p] + new[p]) for p in range(3)}, table
    out = run_kaffee(broker, "consume", topic_name, "--group", group, "--exit-at-end").stdout.decode()
    assert sorted(out.split()) == sorted(["first-%d" % i for i in range(30)] + ["more-%d" % i for i in range(7)]), out

    # --to-offset and --to-latest.
    run_kaffee(broker, "groups", "reset-offsets", group, "--topic", topic_name, "--to-offset", "1")
    assert ck_committed(broker, group, topic_name, 3) == {0: 1, 1: 1, 2: 1}
    run_kaffee(broker, "groups", "reset-offsets", group, "--topic", topic_name, "--to-latest")
    assert ck_committed(broker, group, topic_name, 3) == {p: per_part[p] + new[p] for p in range(3)}


def test_group_without_committed_offset_starts_at_end(broker, kaffee_bin, topic_name):
    group = "g-" + topic_name
    create_topic(broker, topic_name, 1)
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"old-%d" % i) for i in range(5)])
    out = run_kaffee(broker, "consume", topic_name, "--group", group, "--exit-at-end").stdout
    assert out == b"", out


def test_sigint_commits_what_was_printed_and_leaves_group(broker, kaffee_bin, topic_name):
    from confluent_kafka.admin import AdminClient

    group = "g-" + topic_name
    create_topic(broker, topic_name, 2)
    run_kaffee(broker, "perf", "produce", "--topic", topic_name, "--records", "60000", "--record-size", "20")

    proc = subprocess.Popen([str(kaffee_bin), "consume", topic_name, "--group", group, "--from-beginning",
                             "--format", "%p:%o\\n"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=kaffee_env(broker), bufsize=0)  # unbuffered: communicate() reads the fd
    try:
        first = [proc.stdout.readline() for _ in range(10)]
        assert all(line.endswith(b"\n") for line in first), first
        # The group must be Stable with this process as its member before the interrupt.
        header, _ = describe_group(broker, group)
        assert "members 1" in header, header
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == EXIT_INTERRUPTED, (proc.returncode, err)

    printed: dict[int, list[int]] = {0: [], 1: []}
    for line in (b"".join(first) + rest).splitlines():
        p, o = line.split(b":")
        printed[int(p)].append(int(o))
    total = sum(len(v) for v in printed.values())
    assert total >= 10
    for p, offsets in printed.items():
        assert offsets == list(range(len(offsets))), f"partition {p}: gaps or duplicates"
    # Exactly what was printed is committed: next offset to read = last printed + 1.
    committed = ck_committed(broker, group, topic_name, 2)
    for p, offsets in printed.items():
        if offsets:
            assert committed[p] == offsets[-1] + 1, (p, committed, offsets[-1])
    _, table = describe_group(broker, group)
    for p, offsets in printed.items():
        if offsets:
            assert table[(topic_name, p)][0] == offsets[-1] + 1, table

    # It left the group: no members right away (not after a session timeout).
    header, _ = describe_group(broker, group)
    assert "members 0" in header and "state Empty" in header, header
    admin = AdminClient(ck_common(broker))
    desc = admin.describe_consumer_groups([group])[group].result(timeout=10)
    assert len(desc.members) == 0, desc.members

    # A new member resumes right after what was printed.
    out = run_kaffee(broker, "consume", topic_name, "--group", group, "--exit-at-end", "--format", "%p:%o\\n").stdout
    resumed = {0: [], 1: []}
    for line in out.splitlines():
        p, o = line.split(b":")
        resumed[int(p)].append(int(o))
    for p in (0, 1):
        assert printed[p] + resumed[p] == list(range(len(printed[p]) + len(resumed[p]))), p
    assert total + sum(len(v) for v in resumed.values()) == 60000


def test_sigint_while_idle_exits_130(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    proc = subprocess.Popen([str(kaffee_bin), "consume", topic_name, "--offset", "end"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=kaffee_env(broker))
    time.sleep(1.5)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED and out == b"", (proc.returncode, out, err)


# ---------------------------------------------------------------- topics

def test_topics_create_list_describe_delete(broker, kaffee_bin, topic_name):
    res = run_kaffee(broker, "topics", "create", topic_name, "--partitions", "4",
                     "--config", "retention.ms=123456", "--config", "cleanup.policy=delete")
    assert res.stdout.decode() == f"created topic {topic_name}\n"
    assert topic_name in run_kaffee(broker, "topics", "list").stdout.decode().splitlines()

    out = run_kaffee(broker, "topics", "describe", topic_name).stdout.decode()
    lines = out.splitlines()
    assert re.match(rf"topic {re.escape(topic_name)}  id \S+  partitions 4$", lines[0]), out
    assert [l.split()[1] for l in lines if l.strip().startswith("partition ")] == ["0", "1", "2", "3"], out
    assert "    retention.ms=123456  (DYNAMIC_TOPIC_CONFIG)" in lines, out
    # confluent-kafka sees the same.
    from confluent_kafka.admin import AdminClient, ConfigResource
    admin = AdminClient(ck_common(broker))
    md = admin.list_topics(topic_name, timeout=10)
    assert len(md.topics[topic_name].partitions) == 4
    res_ = ConfigResource(ConfigResource.Type.TOPIC, topic_name)
    configs = admin.describe_configs([res_])[res_].result(timeout=10)
    assert configs["retention.ms"].value == "123456"

    # Creating it again fails (not a usage error, not "not found"); --if-not-exists succeeds.
    res = run_kaffee(broker, "topics", "create", topic_name, "--partitions", "4", expect=EXIT_FAILURE)
    assert b"exist" in res.stderr.lower(), res.stderr
    res = run_kaffee(broker, "topics", "create", topic_name, "--if-not-exists")
    assert res.stdout.decode() == f"topic {topic_name} already exists\n"

    res = run_kaffee(broker, "topics", "delete", topic_name)
    assert res.stdout.decode() == f"deleted topic {topic_name}\n"
    wait_until(lambda: topic_name not in run_kaffee(broker, "topics", "list").stdout.decode().splitlines(),
               10, "the deleted topic to leave the list")
    run_kaffee(broker, "topics", "describe", topic_name, expect=EXIT_NOT_FOUND)
    run_kaffee(broker, "topics", "delete", topic_name, expect=EXIT_NOT_FOUND)


def test_topics_apply_directory(broker, kaffee_bin, topic_name, tmp_path):
    names = [topic_name + "-orders", topic_name + "-audit"]
    topics_dir = tmp_path / "Topics"
    decls = [
        {"name": names[0], "partitions": 3, "config": {"retention.ms": "3600000"}},
        {"name": names[1], "partitions": 2, "config": {"retention.ms": 7200000}, "producers": ["x"]},
    ]
    for d in decls:
        (topics_dir / d["name"]).mkdir(parents=True)
        (topics_dir / d["name"] / "topic.json").write_text(json.dumps(d))
    (topics_dir / "README.md").write_text("not a topic")
    (topics_dir / "empty-dir").mkdir()

    res = run_kaffee(broker, "topics", "apply", str(topics_dir))
    out = res.stdout.decode()
    assert f"created {names[0]} (3 partitions)" in out and f"created {names[1]} (2 partitions)" in out, out

    from confluent_kafka.admin import AdminClient
    md = AdminClient(ck_common(broker)).list_topics(timeout=10)
    assert len(md.topics[names[0]].partitions) == 3 and len(md.topics[names[1]].partitions) == 2
    desc = run_kaffee(broker, "topics", "describe", names[1]).stdout.decode()
    assert "    retention.ms=7200000  (DYNAMIC_TOPIC_CONFIG)" in desc.splitlines(), desc

    res = run_kaffee(broker, "topics", "apply", str(topics_dir))
    assert sorted(res.stdout.decode().splitlines()) == sorted(f"{n} is up to date" for n in names), res.stdout

    # A declaration that asks for more partitions than exist: drift, exit 1, no change.
    decls[0]["partitions"] = 5
    (topics_dir / names[0] / "topic.json").write_text(json.dumps(decls[0]))
    res = run_kaffee(broker, "topics", "apply", str(topics_dir), expect=EXIT_FAILURE)
    assert f"{names[0]} differs: has 3 partitions, 5 declared" in res.stdout.decode(), res.stdout

    # An invalid declaration is a usage error.
    (topics_dir / names[0] / "topic.json").write_text('{"name": "bad name!", "partitions": 1}')
    run_kaffee(broker, "topics", "apply", str(topics_dir), expect=EXIT_USAGE)
    run_kaffee(broker, "topics", "apply", str(tmp_path / "missing"), expect=EXIT_USAGE)


# ---------------------------------------------------------------- admin: configs, partitions, trim, offsets, cluster

def describe_json(broker, topic: str) -> dict:
    return json.loads(run_kaffee(broker, "topics", "describe", topic, "--json").stdout)


def config_of(entries: list[dict], name: str) -> dict | None:
    return next((e for e in entries if e["name"] == name), None)


def ck_topic_config(broker, topic: str) -> dict:
    """{name: (value, source)} of a topic as confluent-kafka's DescribeConfigs sees it."""
    from confluent_kafka.admin import AdminClient, ConfigResource
    admin = AdminClient(ck_common(broker))  # kept alive until the answer is in
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    configs = admin.describe_configs([res])[res].result(timeout=10)
    return {name: (entry.value, entry.source) for name, entry in configs.items()}


def test_topics_alter_config_and_sources(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    res = run_kaffee(broker, "topics", "alter-config", topic_name, "--set", "retention.ms=7200000",
                     "--set", "segment.ms=600000")
    assert res.stdout.decode() == f"altered topic {topic_name}: set retention.ms=7200000, set segment.ms=600000\n"
    lines = run_kaffee(broker, "topics", "describe", topic_name).stdout.decode().splitlines()
    assert "    retention.ms=7200000  (DYNAMIC_TOPIC_CONFIG)" in lines, lines
    assert "    segment.ms=600000  (DYNAMIC_TOPIC_CONFIG)" in lines, lines
    assert not any("cleanup.policy" in l for l in lines), "defaults are left out without --all-configs"
    assert "    cleanup.policy=delete  (DEFAULT_CONFIG)" in run_kaffee(
        broker, "topics", "describe", topic_name, "--all-configs").stdout.decode().splitlines()
    ck = ck_topic_config(broker, topic_name)
    assert ck["retention.ms"] == ("7200000", 1) and ck["segment.ms"] == ("600000", 1), ck  # 1 = DYNAMIC_TOPIC_CONFIG

    # DELETE puts the default back; APPEND extends a list config; --validate-only changes nothing.
    res = run_kaffee(broker, "topics", "alter-config", topic_name, "--delete", "segment.ms",
                     "--append", "cleanup.policy=compact")
    assert res.stdout.decode() == f"altered topic {topic_name}: delete segment.ms, append cleanup.policy+=compact\n"
    configs = describe_json(broker, topic_name)["configs"]
    assert config_of(configs, "segment.ms")["source"] == "DEFAULT_CONFIG", configs
    assert set(config_of(configs, "cleanup.policy")["value"].split(",")) == {"delete", "compact"}, configs
    assert config_of(configs, "retention.ms") == {**config_of(configs, "retention.ms"), "value": "7200000",
                                                  "source": "DYNAMIC_TOPIC_CONFIG", "isDefault": False}
    res = run_kaffee(broker, "topics", "alter-config", topic_name, "--set", "retention.ms=1", "--validate-only")
    assert res.stdout.decode().startswith("validated (nothing changed) topic"), res.stdout
    assert ck_topic_config(broker, topic_name)["retention.ms"] == ("7200000", 1)

    # The broker's refusal and its message reach the user; nothing changes.
    res = run_kaffee(broker, "topics", "alter-config", topic_name, "--set", "retention.ms=soon", expect=EXIT_FAILURE)
    err = res.stderr.decode()
    assert "invalidConfig(40)" in err and "retention.ms" in err, err
    assert ck_topic_config(broker, topic_name)["retention.ms"] == ("7200000", 1)
    run_kaffee(broker, "topics", "alter-config", "missing-" + topic_name, "--set", "retention.ms=1", expect=EXIT_NOT_FOUND)


def test_topics_add_partitions(broker, kaffee_bin, topic_name):
    create_topic(broker, topic_name, 1)
    res = run_kaffee(broker, "topics", "add-partitions", topic_name, "--total", "3", "--validate-only")
    assert res.stdout.decode() == f"validated (nothing changed): topic {topic_name} can have 3 partitions\n"
    assert len(describe_json(broker, topic_name)["partitions"]) == 1
    res = run_kaffee(broker, "topics", "add-partitions", topic_name, "--total", "3")
    assert res.stdout.decode() == f"topic {topic_name} now has 3 partitions\n"
    assert [p["partition"] for p in describe_json(broker, topic_name)["partitions"]] == [0, 1, 2]
    from confluent_kafka.admin import AdminClient
    admin = AdminClient(ck_common(broker))
    md = admin.list_topics(topic_name, timeout=10)
    assert sorted(md.topics[topic_name].partitions) == [0, 1, 2]
    # The new partitions take records.
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"in-p2", partition=2)])
    assert [r.value for r in kcat_consume_all(broker, topic_name)] == [b"in-p2"]

    res = run_kaffee(broker, "topics", "add-partitions", topic_name, "--total", "2", expect=EXIT_FAILURE)
    assert "invalidPartitions(37)" in res.stderr.decode(), res.stderr
    run_kaffee(broker, "topics", "add-partitions", "missing-" + topic_name, "--total", "2", expect=EXIT_NOT_FOUND)


def test_topics_trim(broker, kaffee_bin, topic_name):
    from confluent_kafka import TopicPartition
    create_topic(broker, topic_name, 2)
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"p0-%d" % i, partition=0) for i in range(10)]
               + [dict(value=b"p1-%d" % i, partition=1) for i in range(4)])

    res = run_kaffee(broker, "topics", "trim", topic_name, "--before", "4", "--partition", "0")
    assert res.stdout.decode() == f"{topic_name}-0\t4\n"
    got = kcat_consume_all(broker, topic_name)
    assert sorted((r.partition, r.offset) for r in got) == [(0, o) for o in range(4, 10)] + [(1, o) for o in range(4)]
    c = ck_consumer(broker)
    try:
        assert c.get_watermark_offsets(TopicPartition(topic_name, 0), timeout=10) == (4, 10)
    finally:
        c.close()

    # Above the high watermark: that partition fails (exit 1), the other is trimmed.
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"p1-more", partition=1)])
    res = run_kaffee(broker, "topics", "trim", topic_name, "--before", "7", expect=EXIT_FAILURE)
    assert res.stdout.decode() == f"{topic_name}-0\t7\n", res.stdout
    err = res.stderr.decode()
    assert f"trim {topic_name}-1: delete records of {topic_name}-1 before offset 7" in err and "offsetOutOfRange(1)" in err, err

    # --before end empties every partition.
    res = run_kaffee(broker, "topics", "trim", topic_name, "--before", "end")
    assert res.stdout.decode() == f"{topic_name}-0\t10\n{topic_name}-1\t5\n"
    assert kcat_consume_all(broker, topic_name) == []
    run_kaffee(broker, "topics", "trim", topic_name, "--before", "1", "--partition", "7", expect=EXIT_NOT_FOUND)
    run_kaffee(broker, "topics", "trim", "missing-" + topic_name, "--before", "end", expect=EXIT_NOT_FOUND)


def test_groups_delete_offsets(broker, kaffee_bin, topic_name):
    group = "g-" + topic_name
    create_topic(broker, topic_name, 2)
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"v%d" % i, partition=i % 2) for i in range(6)])
    run_kaffee(broker, "consume", topic_name, "--group", group, "--from-beginning", "--exit-at-end")
    assert ck_committed(broker, group, topic_name, 2) == {0: 3, 1: 3}

    res = run_kaffee(broker, "groups", "delete-offsets", group, "--topic", topic_name, "--partition", "0")
    assert res.stdout.decode() == f"{topic_name}-0\tdeleted\n"
    assert ck_committed(broker, group, topic_name, 2) == {0: -1001, 1: 3}  # -1001: no committed offset
    res = run_kaffee(broker, "groups", "delete-offsets", group, "--topic", topic_name)
    assert res.stdout.decode() == f"{topic_name}-0\tdeleted\n{topic_name}-1\tdeleted\n"
    assert ck_committed(broker, group, topic_name, 2) == {0: -1001, 1: -1001}

    # While a member consumes the topic its offsets stay, and the user is told why.
    run_kaffee(broker, "groups", "reset-offsets", group, "--topic", topic_name, "--to-offset", "1")
    c = ck_consumer(broker, **{"group.id": group, "enable.auto.commit": False})
    try:
        c.subscribe([topic_name])
        wait_until(lambda: c.poll(0.2) is not None or c.assignment(), 20, "the member to get its assignment")
        res = run_kaffee(broker, "groups", "delete-offsets", group, "--topic", topic_name, "--partition", "1",
                         expect=EXIT_FAILURE)
        err = res.stderr.decode()
        assert "groupSubscribedToTopic(86)" in err and f"subscribed to topic {topic_name}" in err, err
        assert ck_committed(broker, group, topic_name, 2)[1] == 1
    finally:
        c.close()
    run_kaffee(broker, "groups", "delete-offsets", "no-such-group-" + topic_name, "--topic", topic_name,
               expect=EXIT_NOT_FOUND)


def test_cluster_describe_and_log_dirs(broker, kaffee_bin, topic_name):
    described = json.loads(run_kaffee(broker, "cluster", "describe", "--json").stdout)
    assert described["source"] == "describeCluster"
    assert [(b["host"], b["port"]) for b in described["brokers"]] == [(broker.host, broker.port)], described
    node = described["brokers"][0]["id"]
    assert described["controllerId"] == node and described["clusterId"], described
    from confluent_kafka.admin import AdminClient
    admin = AdminClient(ck_common(broker))
    md = admin.list_topics(timeout=10)
    assert md.cluster_id == described["clusterId"] and md.controller_id == node
    lines = run_kaffee(broker, "cluster", "describe").stdout.decode().splitlines()
    assert lines == [f"cluster {described['clusterId']}  controller {node}  brokers 1",
                     f"  broker {node}  {broker.bootstrap}  rack -  (controller)"], lines

    create_topic(broker, topic_name, 2)
    ck_produce(ck_producer(broker), topic_name, [dict(value=b"x" * 100, partition=1) for _ in range(5)])
    (directory,) = json.loads(run_kaffee(broker, "cluster", "log-dirs", "--topic", topic_name, "--json").stdout)
    assert directory["broker"] == node and directory["error"] is None, directory
    assert Path(directory["path"]).resolve() == broker.data_dir.resolve(), directory
    sizes = {r["partition"]: r["bytes"] for r in directory["replicas"] if r["topic"] == topic_name}
    assert sizes.keys() == {0, 1} and sizes[0] == 0 and sizes[1] > 500, directory
    assert directory["totalBytes"] >= directory["usableBytes"] > 0, directory
    text = run_kaffee(broker, "cluster", "log-dirs", "--topic", topic_name).stdout.decode().splitlines()
    assert f"  {topic_name}\t1\t{sizes[1]}\t0" in text, text
    run_kaffee(broker, "cluster", "log-dirs", "--topic", "missing-" + topic_name, expect=EXIT_NOT_FOUND)


def test_cluster_config(broker, kaffee_bin, topic_name):
    from confluent_kafka.admin import AdminClient, ConfigResource
    node = json.loads(run_kaffee(broker, "cluster", "describe", "--json").stdout)["brokers"][0]["id"]
    shown = json.loads(run_kaffee(broker, "cluster", "config", "--json").stdout)
    assert shown["broker"] == node
    before = config_of(shown["configs"], "log.retention.ms")
    assert before and before["source"] in ("DEFAULT_CONFIG", "STATIC_BROKER_CONFIG"), shown

    try:
        # The cluster-wide default, then broker node's own value on top.
        res = run_kaffee(broker, "cluster", "config", "--set", "log.retention.ms=3600000")
        assert res.stdout.decode() == "altered the cluster-wide broker defaults: set log.retention.ms=3600000\n"
        assert "  log.retention.ms=3600000  (DYNAMIC_DEFAULT_BROKER_CONFIG)" in \
            run_kaffee(broker, "cluster", "config").stdout.decode().splitlines()
        res = run_kaffee(broker, "cluster", "config", "--broker", str(node), "--set", "log.retention.ms=1800000")
        assert res.stdout.decode() == f"altered broker {node}: set log.retention.ms=1800000\n"
        entry = config_of(json.loads(run_kaffee(broker, "cluster", "config", "--broker", str(node), "--json").stdout)["configs"],
                          "log.retention.ms")
        assert entry["value"] == "1800000" and entry["source"] == "DYNAMIC_BROKER_CONFIG", entry
        assert [s["source"] for s in entry["synonyms"]][:2] == ["DYNAMIC_BROKER_CONFIG", "DYNAMIC_DEFAULT_BROKER_CONFIG"], entry
        admin = AdminClient(ck_common(broker))
        res_ = ConfigResource(ConfigResource.Type.BROKER, str(node))
        ck = admin.describe_configs([res_])[res_].result(timeout=10)
        assert ck["log.retention.ms"].value == "1800000" and ck["log.retention.ms"].source == 2  # DYNAMIC_BROKER_CONFIG
        # A new topic without its own retention.ms inherits it, and says from where.
        create_topic(broker, topic_name, 1)
        assert config_of(describe_json(broker, topic_name)["configs"], "retention.ms")["source"] == "DYNAMIC_BROKER_CONFIG"

        res = run_kaffee(broker, "cluster", "config", "--broker", str(node), "--set", "log.retention.ms=x", expect=EXIT_FAILURE)
        # Kafka (and kaffeed) refuse a bad dynamic broker value as INVALID_REQUEST, with the reason.
        err = res.stderr.decode()
        assert "invalidRequest(42)" in err and f"alter configs of broker {node}" in err and "log.retention.ms" in err, err
    finally:
        run_kaffee(broker, "cluster", "config", "--broker", str(node), "--delete", "log.retention.ms")
        run_kaffee(broker, "cluster", "config", "--delete", "log.retention.ms")
    after = config_of(json.loads(run_kaffee(broker, "cluster", "config", "--json").stdout)["configs"], "log.retention.ms")
    assert (after["value"], after["source"]) == (before["value"], before["source"]), after


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("args", [
    ["topics", "list"],
    ["groups", "list"],
    ["consume", "some-topic", "--exit-at-end"],
    ["produce", "some-topic"],
])
def test_unreachable_broker_exits_3(kaffee_bin, args):
    start = time.monotonic()
    res = run_kaffee(None, *args, "--brokers", UNREACHABLE, input=b"one record\n", timeout=60, expect=None)
    elapsed = time.monotonic() - start
    err = res.stderr.decode()
    assert res.returncode == EXIT_UNREACHABLE, (res.returncode, err)
    assert "cannot reach" in err and UNREACHABLE in err, err
    assert elapsed < 30, elapsed


def test_unreachable_broker_from_environment(kaffee_bin):
    res = run_kaffee(None, "topics", "list", expect=EXIT_UNREACHABLE)  # KAFFEE_BROKERS=127.0.0.1:1
    assert UNREACHABLE in res.stderr.decode()


def test_unknown_topic_and_group_exit_4(broker, kaffee_bin, topic_name):
    res = run_kaffee(broker, "consume", topic_name, "--exit-at-end", expect=EXIT_NOT_FOUND)
    assert topic_name in res.stderr.decode() and "does not exist" in res.stderr.decode(), res.stderr
    res = run_kaffee(broker, "consume", topic_name, "--group", "g-" + topic_name, expect=EXIT_NOT_FOUND)
    res = run_kaffee(broker, "topics", "describe", topic_name, expect=EXIT_NOT_FOUND)
    # Looking did not auto-create it.
    assert topic_name not in run_kaffee(broker, "topics", "list").stdout.decode().splitlines()
    run_kaffee(broker, "groups", "describe", "no-such-group-" + topic_name, expect=EXIT_NOT_FOUND)
    create_topic(broker, topic_name, 2)
    res = run_kaffee(broker, "consume", topic_name, "--partition", "5", "--exit-at-end", expect=EXIT_NOT_FOUND)
    assert b"partition 5" in res.stderr, res.stderr


@pytest.mark.parametrize("args,needle", [
    (["frobnicate"], "unknown command"),
    ([], "usage"),
    (["consume", "t", "--bogus"], "unknown option --bogus"),
    (["consume", "t", "--count"], "--count needs a value"),
    (["consume", "t", "--count", "many"], "--count"),
    (["consume", "t", "--exit-at-end=yes"], "takes no value"),
    (["consume"], "usage"),
    (["produce", "t", "--acks", "7"], "--acks"),
    (["produce", "t", "--key-separator", ""], "--key-separator"),
    (["produce", "t", "--header", "novalue"], "--header"),
    (["topics", "create", "t", "--partitions", "abc"], "--partitions"),
    (["topics", "frob"], "unknown action"),
    (["groups", "reset-offsets", "g"], "--topic"),
    (["perf", "warp"], "unknown perf mode"),
    (["perf", "produce", "--records", "0"], "--records"),
    (["topics", "alter-config", "t"], "needs at least one of --set"),
    (["topics", "alter-config", "t", "--set", "novalue"], "--set expects KEY=VALUE"),
    (["topics", "add-partitions", "t"], "--total"),
    (["topics", "add-partitions", "t", "--total", "0"], "--total"),
    (["topics", "trim", "t"], "--before"),
    (["topics", "trim", "t", "--before", "later"], "--before needs an offset"),
    (["groups", "delete-offsets", "g"], "--topic"),
    (["cluster"], "usage"),
    (["cluster", "frob"], "unknown action"),
    (["cluster", "config", "--broker", "x"], "--broker"),
    # The demo's baristas are barista-worker processes now: --baristas is gone, --workers took its place.
    (["demo", "--baristas", "4"], "unknown option --baristas"),
    (["demo", "--workers", "0"], "--workers"),
    (["demo", "--brew-ms", "slow"], "--brew-ms"),
    (["demo", "--fail-rate", "2"], "--fail-rate"),
])
def test_usage_errors_exit_2(broker, kaffee_bin, args, needle):
    res = run_kaffee(broker, *args, expect=EXIT_USAGE)
    text = (res.stdout + res.stderr).decode()
    assert needle in text, text


def test_help_exits_0(kaffee_bin):
    for args in (["--help"], ["produce", "--help"], ["consume", "--help"], ["topics", "--help"],
                 ["groups", "--help"], ["cluster", "--help"], ["perf", "--help"]):
        res = run_kaffee(None, *args)
        assert b"usage: kaffee" in res.stdout, (args, res.stdout)
    demo = run_kaffee(None, "demo", "--help").stdout.decode()
    assert "usage: kaffee demo" in demo
    for option in ("--workers N", "--brew-ms MS", "--fail-rate P", "--speed FACTOR"):
        assert option in demo, demo
    assert "--baristas" not in demo, demo


# ---------------------------------------------------------------- perf

NUM = r"[0-9]+(?:\.[0-9]+)?"
LATENCY = rf", latency ms avg ({NUM}) p50 ({NUM}) p99 ({NUM}) p99\.9 ({NUM}) max ({NUM})"


def _check_latency(m, first_group: int):
    avg, p50, p99, p999, mx = (float(m.group(i)) for i in range(first_group, first_group + 5))
    assert 0 <= p50 <= p99 <= p999 <= mx, m.group(0)
    assert avg <= mx


def test_perf_produce_and_consume(broker, kaffee_bin, topic_name):
    res = run_kaffee(broker, "perf", "produce", "--topic", topic_name, "--records", "20000", "--record-size", "100")
    line = res.stdout.decode().strip()
    m = re.fullmatch(rf"produce: 20000 records in ({NUM}) s, ([0-9]+) records/s, ({NUM}) MB/s{LATENCY}", line)
    assert m, line
    seconds, rate, mbs = float(m.group(1)), int(m.group(2)), float(m.group(3))
    assert rate > 0 and abs(rate * seconds - 20000) < 20000 * 0.05 + rate * 0.01, line
    assert abs(mbs - rate * 100 / 1e6) <= 0.02 * max(mbs, 0.1) + 0.01, line
    _check_latency(m, 4)
    # The records really are there, 100 bytes each.
    got = kcat_consume_all(broker, topic_name)
    assert len(got) == 20000 and {len(r.value) for r in got} == {100}, len(got)

    res = run_kaffee(broker, "perf", "consume", "--topic", topic_name, "--records", "20000")
    line = res.stdout.decode().strip()
    m = re.match(rf"consume: 20000 records in ({NUM}) s, ([0-9]+) records/s, ({NUM}) MB/s", line)
    assert m, line
    rate, mbs = int(m.group(2)), float(m.group(3))
    assert abs(mbs - rate * 100 / 1e6) <= 0.02 * max(mbs, 0.1) + 0.01, line


def test_perf_consume_reports_latency_percentiles(broker, kaffee_bin, topic_name):
    """The brief asks every perf mode for p50/p99/p99.9/max; `perf consume` prints none."""
    run_kaffee(broker, "perf", "produce", "--topic", topic_name, "--records", "2000", "--record-size", "100")
    line = run_kaffee(broker, "perf", "consume", "--topic", topic_name, "--records", "2000").stdout.decode().strip()
    m = re.fullmatch(rf"consume: 2000 records in ({NUM}) s, ([0-9]+) records/s, ({NUM}) MB/s{LATENCY}", line)
    assert m, f"no latency percentiles in the perf consume summary: {line!r}"


def test_perf_e2e(broker, kaffee_bin, topic_name):
    start = time.monotonic()
    res = run_kaffee(broker, "perf", "e2e", "--topic", topic_name, "--records", "5000", "--throughput", "2000")
    elapsed = time.monotonic() - start
    line = res.stdout.decode().strip()
    m = re.fullmatch(rf"end-to-end: 5000 records in ({NUM}) s, ([0-9]+) records/s, ({NUM}) MB/s{LATENCY}", line)
    assert m, line
    _check_latency(m, 4)
    # Throttled to 2000/s: about 2.5 s, and the rate printed is about 2000.
    assert 2.0 <= float(m.group(1)) <= elapsed, (line, elapsed)
    assert 1500 <= int(m.group(2)) <= 2300, line
    assert float(m.group(8)) < 2000, line  # max latency in ms: a working pipeline, not a stall


@pytest.mark.parametrize("flags", [["--acks", "1"], ["--acks", "0", "--no-idempotence"],
                                   ["--acks", "all", "--linger-ms", "0", "--batch-size", "64"]])
def test_produce_acks_and_batching_options(broker, kaffee_bin, topic_name, flags):
    create_topic(broker, topic_name, 1)
    values = [b"rec-%04d" % i for i in range(500)]
    res = run_kaffee(broker, "produce", topic_name, *flags, input=b"\n".join(values) + b"\n")
    assert b"500 acknowledged, 0 failed" in res.stderr, res.stderr
    assert_same_records(kcat_consume_all(broker, topic_name),
                        [Rec(0, i, None, v) for i, v in enumerate(values)], compare_ts=False)


def test_produce_to_missing_topic_without_auto_create_exits_4(broker_factory, kaffee_bin, topic_name):
    strict = broker_factory("--auto-create-topics", "false")
    res = run_kaffee(strict, "produce", topic_name, input=b"a\nb\n", expect=EXIT_NOT_FOUND)
    assert b"0 acknowledged, 2 failed" in res.stderr, res.stderr
    assert topic_name not in run_kaffee(strict, "topics", "list").stdout.decode().splitlines()
    run_kaffee(strict, "consume", topic_name, "--exit-at-end", expect=EXIT_NOT_FOUND)
