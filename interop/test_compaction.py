"""Log compaction end to end (issue 11), plus the produce rules of compacted and LogAppendTime
topics, against real clients.

Kafka 4.1's behaviour (/tmp/research/compaction-and-admin.md): the cleaner keeps the latest
record of every key with its original offset, timestamp and headers; a tombstone survives the
first cleaning that reaches it, which stamps its batch with a KIP-534 delete horizon
(attribute bit 0x40, baseTimestamp = cleaning time + delete.retention.ms), and goes in a later
round once that time passed; keyless records are refused on produce (KIP-467, INVALID_RECORD).

The tests wait by polling with deadlines. Small segments come from `internal.segment.bytes`,
idle active segments roll after `segment.ms`, and the cleaner backs off 100 ms between passes.
The log is read with raw Fetch v4 requests (to see batch attributes and delete horizons) and
with confluent-kafka / kafka-python consumers (gaps in offsets, CRCs checked).
"""

from __future__ import annotations

import gzip
import os
import socket
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from confluent_kafka import (OFFSET_BEGINNING, TIMESTAMP_LOG_APPEND_TIME, KafkaError, TopicPartition)
from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource, NewTopic, ResourceType

from kafkahelpers import ck_common, ck_consume, ck_consumer, ck_produce, ck_producer, now_ms, wait_until

BROKER_ARGS = ["--config", "log.cleaner.backoff.ms=100"]

KP_TIMEOUTS = dict(request_timeout_ms=10000, bootstrap_timeout_ms=10000,
                   reconnect_backoff_ms=50, reconnect_backoff_max_ms=500)

DAY_MS = 86_400_000
DELETE_HORIZON_FLAG = 0x40
LOG_APPEND_TIME_FLAG = 0x08

# Compacted, with ~16 KiB segments, idle segments rolled after 400 ms, cleaned as soon as any
# part is dirty, replaced files removed at once.
FAST_COMPACTION = {"cleanup.policy": "compact", "internal.segment.bytes": "16384", "segment.ms": "400",
                   "min.cleanable.dirty.ratio": "0.01", "file.delete.delay.ms": "0"}


# ---------------------------------------------------------------- raw Fetch with record decoding

@dataclass
class RawRecord:
    offset: int
    timestamp: int
    key: bytes | None
    value: bytes | None
    headers: tuple


@dataclass
class Batch:
    base_offset: int
    last_offset: int
    attributes: int
    base_timestamp: int
    max_timestamp: int
    producer_id: int
    records: list[RawRecord] = field(default_factory=list)

    @property
    def delete_horizon(self) -> int | None:
        return self.base_timestamp if self.attributes & DELETE_HORIZON_FLAG else None


def _kstr(s: str) -> bytes:
    b = s.encode()
    return struct.pack(">h", len(b)) + b


def _recv_exact(sock, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise AssertionError(f"broker closed the connection after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return (result >> 1) ^ -(result & 1), pos
        shift += 7


def _bytes(buf: bytes, pos: int) -> tuple[bytes | None, int]:
    n, pos = _varint(buf, pos)
    if n < 0:
        return None, pos
    return buf[pos:pos + n], pos + n


def _decompress(codec: int, data: bytes) -> bytes:
    if codec == 0:
        return data
    if codec == 1:
        return gzip.decompress(data)
    if codec == 3:
        import lz4.frame
        return lz4.frame.decompress(data)
    if codec == 4:
        import zstandard
        return zstandard.ZstdDecompressor().stream_reader(data).read()
    raise AssertionError(f"codec {codec} not handled by this test's decoder")


def _decode_batch(data: bytes) -> Batch:
    (base, _length, _epoch, magic, _crc, attrs, last_delta, base_ts, max_ts, pid, _pepoch, _seq,
     count) = struct.unpack_from(">qiibIhiqqqhii", data, 0)
    assert magic == 2, f"batch at {base} has magic {magic}"
    batch = Batch(base, base + last_delta, attrs, base_ts, max_ts, pid)
    if attrs & 0x20:  # control batch: no data records
        return batch
    body = _decompress(attrs & 0x07, data[61:])
    pos = 0
    for _ in range(count):
        length, pos = _varint(body, pos)
        end = pos + length
        pos += 1  # record attributes
        ts_delta, pos = _varint(body, pos)
        offset_delta, pos = _varint(body, pos)
        key, pos = _bytes(body, pos)
        value, pos = _bytes(body, pos)
        nheaders, pos = _varint(body, pos)
        headers = []
        for _ in range(nheaders):
            hkey, pos = _bytes(body, pos)
            hval, pos = _bytes(body, pos)
            headers.append((hkey.decode(), hval))
        assert pos == end, f"record length mismatch in batch {base}"
        ts = max_ts if attrs & LOG_APPEND_TIME_FLAG else base_ts + ts_delta
        batch.records.append(RawRecord(base + offset_delta, ts, key, value, tuple(headers)))
    return batch


def _fetch_once(broker, topic: str, partition: int, offset: int, max_bytes: int = 8 << 20) -> tuple[int, int, list[Batch]]:
    """One Fetch v4 -> (error code, high watermark, complete batches)."""
    body = struct.pack(">iiiib", -1, 100, 0, max_bytes, 0)
    body += struct.pack(">i", 1) + _kstr(topic) + struct.pack(">i", 1) + struct.pack(">iqi", partition, offset, max_bytes)
    frame = struct.pack(">hhi", 1, 4, 11) + _kstr("interop-compaction") + body
    with socket.create_connection((broker.host, broker.port), timeout=10) as s:
        s.sendall(struct.pack(">i", len(frame)) + frame)
        (size,) = struct.unpack(">i", _recv_exact(s, 4))
        resp = _recv_exact(s, size)
    pos = 8  # correlation id, throttle
    pos += 4  # topics count (1)
    (tlen,) = struct.unpack_from(">h", resp, pos)
    pos += 2 + tlen + 4  # topic name, partitions count (1)
    _p, err, hw, _lso, naborted = struct.unpack_from(">ihqqi", resp, pos)
    pos += 26 + max(naborted, 0) * 16
    (rlen,) = struct.unpack_from(">i", resp, pos)
    pos += 4
    records = resp[pos:pos + max(rlen, 0)]
    batches, bpos = [], 0
    while bpos + 61 <= len(records):
        (blen,) = struct.unpack_from(">i", records, bpos + 8)
        if bpos + 12 + blen > len(records):
            break
        batches.append(_decode_batch(records[bpos:bpos + 12 + blen]))
        bpos += 12 + blen
    return err, hw, batches


def read_log(broker, topic: str, partition: int) -> tuple[list[Batch], int]:
    """Every batch of a partition from offset 0 -> (batches, high watermark)."""
    batches: list[Batch] = []
    offset, hw = 0, None
    while True:
        err, hw, got = _fetch_once(broker, topic, partition, offset)
        assert err == 0, f"fetch {topic}-{partition}@{offset}: error {err}"
        if not got:
            break
        batches.extend(got)
        offset = got[-1].last_offset + 1
        if offset >= hw:
            break
    return batches, hw


# ---------------------------------------------------------------- helpers

def admin_client(broker):
    return AdminClient(ck_common(broker))


def create_topic(admin, name, partitions, config):
    admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1, config=config)],
                        request_timeout=15)[name].result(timeout=20)


@dataclass
class Latest:
    """The last write of a key, as the producer saw it acknowledged."""
    partition: int
    offset: int
    value: bytes | None
    headers: tuple
    timestamp: int


def record_latest(latest: dict, key: bytes, partition: int, offset: int, value, headers, timestamp):
    prev = latest.get(key)
    if prev is not None:
        assert prev.partition == partition, f"{key!r} went to partitions {prev.partition} and {partition}"
        assert offset > prev.offset, f"{key!r}: offset {offset} after {prev.offset}"
    latest[key] = Latest(partition, offset, value, tuple(headers or ()), timestamp)


def kp_producer(broker, **kw):
    from kafka import KafkaProducer
    conf = dict(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5, enable_idempotence=False, **KP_TIMEOUTS)
    conf.update(kw)
    return KafkaProducer(**conf)


def one_per_key(records: dict[int, list[RawRecord]]) -> dict[bytes, tuple[int, RawRecord]] | None:
    """{key: (partition, record)} if every key occurs exactly once, else None."""
    out = {}
    for p, recs in records.items():
        for r in recs:
            if r.key in out:
                return None
            out[r.key] = (p, r)
    return out


# ---------------------------------------------------------------- the end-to-end test

KEYS = [b"key-%02d" % i for i in range(50)]


def test_compaction_keeps_the_latest_value_of_every_key(broker, topic_name):
    """5,000 keyed records over 50 keys (half lz4-compressed), tombstones for some keys, a few
    more from kafka-python; once the cleaner is through, a reader from offset 0 sees one record
    per key with its latest value (offset, timestamp, headers kept). With the default
    delete.retention.ms the tombstones stay, under a delete horizon one day ahead; with a
    short one they go once the horizon passed, and only then."""
    admin = admin_client(broker)
    keep, purge = topic_name + "-keep", topic_name + "-purge"
    create_topic(admin, keep, 2, FAST_COMPACTION)
    create_topic(admin, purge, 2, {**FAST_COMPACTION, "delete.retention.ms": "1500"})
    topics = (keep, purge)
    latest = {t: {} for t in topics}

    # confluent-kafka: murmur2 like kafka-python's default partitioner, so a key has one partition.
    def records(lo, hi):
        return [dict(key=KEYS[i % 50], value=b"value-%05d-" % i + b"x" * 20, headers=[("seq", b"%d" % i)]) for i in range(lo, hi)]

    t_start = now_ms()
    for lo, hi, codec in ((0, 2500, "lz4"), (2500, 5000, "none")):
        producer = ck_producer(broker, partitioner="murmur2_random", compression_type=codec, batch_size=4096,
                               linger_ms=5, enable_idempotence=True)
        for topic in topics:
            sent = records(lo, hi)
            reports = ck_produce(producer, topic, sent)
            for r, (err, partition, offset, (_tt, ts), key, value) in zip(sent, reports):
                assert err is None, err
                record_latest(latest[topic], key, partition, offset, value, r["headers"], ts)
        del producer
    tombstoned_by_confluent = KEYS[0:50:5]
    producer = ck_producer(broker, partitioner="murmur2_random", enable_idempotence=True)
    for topic in topics:
        sent = [dict(key=k, value=None) for k in tombstoned_by_confluent]
        for r, (err, partition, offset, (_tt, ts), key, value) in zip(sent, ck_produce(producer, topic, sent)):
            assert err is None and value is None, err
            record_latest(latest[topic], key, partition, offset, None, (), ts)
    del producer

    # kafka-python: revive key-05, tombstone key-01 and key-02, new values for key-03 and key-07.
    kp = kp_producer(broker)
    try:
        for topic in topics:
            writes = [(b"key-05", b"revived", []), (b"key-01", None, []), (b"key-02", None, []),
                      (b"key-03", b"from-kafka-python", []), (b"key-07", b"with-headers", [("h", b"1"), ("h", b"2")])]
            futures = [(k, v, h, kp.send(topic, key=k, value=v, headers=h)) for k, v, h in writes]
            kp.flush(timeout=20)
            for k, v, h, f in futures:
                md = f.get(timeout=20)
                record_latest(latest[topic], k, md.partition, md.offset, v, h, md.timestamp)
    finally:
        kp.close(timeout=10)

    tombstoned = {k for k, w in latest[keep].items() if w.value is None}
    assert tombstoned == set(KEYS[0:50:5]) - {b"key-05"} | {b"key-01", b"key-02"}
    live = set(KEYS) - tombstoned
    high_watermarks = {t: {p: 1 + max(w.offset for w in latest[t].values() if w.partition == p) for p in (0, 1)}
                       for t in topics}
    assert sum(high_watermarks[keep].values()) == 5000 + 10 + 5

    # Poll both topics until `keep` holds one record per key and `purge` one per live key; on
    # `purge`, note every delete horizon seen on its way.
    horizons_seen: list[int] = []
    done: dict[str, tuple[dict, int]] = {}

    def compacted():
        for topic, want_keys in ((keep, set(KEYS)), (purge, live)):
            if topic in done:
                continue
            batches = {p: read_log(broker, topic, p)[0] for p in (0, 1)}
            if topic == purge:
                horizons_seen.extend(b.delete_horizon for bs in batches.values() for b in bs
                                     if b.delete_horizon is not None and any(r.value is None for r in b.records))
            by_key = one_per_key({p: [r for b in bs for r in b.records] for p, bs in batches.items()})
            if by_key is not None and set(by_key) == want_keys:
                done[topic] = (by_key, now_ms())
        return len(done) == 2

    try:
        wait_until(compacted, 60, "keep compacted to one record per key and purge to the live keys", interval=0.2)
    except AssertionError as e:
        raise AssertionError(f"{e}; finished: {list(done)}") from None
    (kept, t_observed), (purged, gone_at) = done[keep], done[purge]

    for topic, got, keys in ((keep, kept, set(KEYS)), (purge, purged, live)):
        assert set(got) == keys
        for key in keys:
            want = latest[topic][key]
            partition, rec = got[key]
            assert (partition, rec.offset, rec.value, rec.headers, rec.timestamp) == (
                want.partition, want.offset, want.value, want.headers, want.timestamp), (topic, key, rec)
        # Offsets are never reused: the high watermarks did not move.
        for p in (0, 1):
            assert read_log(broker, topic, p)[1] == high_watermarks[topic][p]

    # keep: tombstones present, their batches carry a delete horizon one day after the cleaning.
    for p in (0, 1):
        for b in read_log(broker, keep, p)[0]:
            if any(r.value is None for r in b.records):
                assert b.delete_horizon is not None, f"tombstone batch at {b.base_offset} without a delete horizon"
                assert t_start + DAY_MS <= b.delete_horizon <= t_observed + DAY_MS, (b.delete_horizon, t_start, t_observed)
            elif b.records:
                assert b.delete_horizon is None, f"batch at {b.base_offset} has a horizon but no tombstone"

    # purge: tombstones went only once their horizon (cleaning time + 1.5 s) had passed.
    if horizons_seen:
        first = min(horizons_seen)
        assert t_start + 1500 <= first <= gone_at + 1500
        assert gone_at >= first, f"tombstones were gone at {gone_at}, before their delete horizon {first}"

    # Real clients read the compacted logs (gaps in offsets, CRCs checked).
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(keep, p, OFFSET_BEGINNING) for p in (0, 1)])
        got = ck_consume(consumer, 50, eof_partitions=2)
    finally:
        consumer.close()
    assert sorted((r.partition, r.offset, r.key, r.value, r.headers) for r in got) == sorted(
        (w.partition, w.offset, k, w.value, w.headers) for k, w in latest[keep].items())

    from kafka import KafkaConsumer
    from kafka import TopicPartition as KTP
    c = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                      auto_offset_reset="earliest", fetch_max_wait_ms=200, check_crcs=True, **KP_TIMEOUTS)
    try:
        c.assign([KTP(purge, 0), KTP(purge, 1)])
        c.seek_to_beginning()
        seen = []
        deadline = time.monotonic() + 20
        while len(seen) < len(live) and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=200).values():
                seen.extend((r.partition, r.offset, r.key, r.value) for r in recs)
    finally:
        c.close()
    assert sorted(seen) == sorted((latest[purge][k].partition, latest[purge][k].offset, k, latest[purge][k].value)
                                  for k in live)

    # Appends go on at the old high watermark.
    producer = ck_producer(broker, partitioner="murmur2_random")
    (report,) = ck_produce(producer, keep, [dict(key=b"key-00", value=b"after")])
    assert report[2] == high_watermarks[keep][report[1]]


# ---------------------------------------------------------------- produce rules

def test_keyless_records_are_refused_on_compacted_topics(broker, topic_name):
    from kafka import errors as Errors
    admin = admin_client(broker)
    compact, both, plain = topic_name + "-compact", topic_name + "-compact-delete", topic_name + "-delete"
    create_topic(admin, compact, 1, {"cleanup.policy": "compact"})
    create_topic(admin, both, 1, {"cleanup.policy": "compact,delete"})
    create_topic(admin, plain, 1, {"cleanup.policy": "delete"})

    producer = ck_producer(broker, linger_ms=50, retries=0)
    for topic in (compact, both):
        reports = ck_produce(producer, topic, [dict(partition=0, value=b"no key")])
        assert reports[0][0] is not None and reports[0][0].code() == KafkaError.INVALID_RECORD, reports
        # A keyed record in the same batch as a keyless one fails with it: the batch is refused whole.
        reports = ck_produce(producer, topic, [dict(partition=0, key=b"k", value=b"keyed"), dict(partition=0, value=b"keyless")])
        assert [r[0] and r[0].code() for r in reports] == [KafkaError.INVALID_RECORD] * 2, reports
        # An empty key is a key.
        reports = ck_produce(producer, topic, [dict(partition=0, key=b"", value=b"empty key"), dict(partition=0, key=b"k", value=None)])
        assert [(r[0], r[2]) for r in reports] == [(None, 0), (None, 1)], reports
    reports = ck_produce(producer, plain, [dict(partition=0, value=b"no key")])
    assert (reports[0][0], reports[0][2]) == (None, 0)

    # kafka-python shows Kafka's message (ProduceResponse record_errors).
    kp = kp_producer(broker, retries=0)
    try:
        with pytest.raises(Errors.InvalidRecordError) as exc:
            kp.send(compact, value=b"no key", partition=0).get(timeout=20)
    finally:
        kp.close(timeout=10)
    assert f"Compacted topic cannot accept message without key in topic partition {compact}-0" in str(exc.value)

    # Switching a topic to compact applies at once.
    resource = ConfigResource(ResourceType.TOPIC, plain, incremental_configs=[
        ConfigEntry("cleanup.policy", "compact", incremental_operation=AlterConfigOpType.SET)])
    admin.incremental_alter_configs([resource], request_timeout=15)[resource].result(timeout=20)
    reports = ck_produce(producer, plain, [dict(partition=0, value=b"no key now")])
    assert reports[0][0] is not None and reports[0][0].code() == KafkaError.INVALID_RECORD

    # Nothing refused was appended.
    for topic, hw in ((compact, 2), (both, 2), (plain, 1)):
        batches, got_hw = read_log(broker, topic, 0)
        assert got_hw == hw, (topic, got_hw)
        assert [r.value for b in batches for r in b.records] == ([b"empty key", None] if topic != plain else [b"no key"])


def test_log_append_time_topic(broker, topic_name):
    """message.timestamp.type=LogAppendTime: every record carries the broker's append time
    (attribute bit 3, MaxTimestamp), whatever the producer set, compressed or not."""
    from kafka import KafkaConsumer
    from kafka import TopicPartition as KTP
    admin = admin_client(broker)
    create_topic(admin, topic_name, 1, {"message.timestamp.type": "LogAppendTime"})
    old = now_ms() - 7 * DAY_MS

    before = now_ms()
    plain = ck_producer(broker, linger_ms=20)
    reports = ck_produce(plain, topic_name, [dict(partition=0, key=b"a%d" % i, value=b"plain", timestamp=old) for i in range(5)])
    lz4 = ck_producer(broker, linger_ms=20, compression_type="lz4")
    reports += ck_produce(lz4, topic_name, [dict(partition=0, key=b"b%d" % i, value=b"lz4 " * 50) for i in range(5)])
    kp = kp_producer(broker)
    try:
        futures = [kp.send(topic_name, key=b"c%d" % i, value=b"kafka-python", partition=0, timestamp_ms=old) for i in range(3)]
        kp.flush(timeout=20)
        kp_md = [f.get(timeout=20) for f in futures]
    finally:
        kp.close(timeout=10)
    after = now_ms()

    append_times = {}
    for err, _p, offset, (ts_type, ts), _k, _v in reports:
        assert err is None and ts_type == TIMESTAMP_LOG_APPEND_TIME and before <= ts <= after, (offset, ts_type, ts)
        append_times[offset] = ts
    for md in kp_md:
        assert before <= md.timestamp <= after, md
        append_times[md.offset] = md.timestamp
    assert sorted(append_times) == list(range(13))

    batches, hw = read_log(broker, topic_name, 0)
    assert hw == 13
    for b in batches:
        assert b.attributes & LOG_APPEND_TIME_FLAG, f"batch at {b.base_offset} is not LogAppendTime"
        for r in b.records:
            assert r.timestamp == b.max_timestamp == append_times[r.offset], (b, r)

    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        got = []
        deadline = time.monotonic() + 20
        while len(got) < 13 and time.monotonic() < deadline:
            msg = consumer.poll(0.2)
            if msg is not None and not msg.error():
                got.append((msg.offset(), msg.timestamp()))
    finally:
        consumer.close()
    assert got == [(o, (TIMESTAMP_LOG_APPEND_TIME, append_times[o])) for o in range(13)]

    c = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                      auto_offset_reset="earliest", fetch_max_wait_ms=200, **KP_TIMEOUTS)
    try:
        c.assign([KTP(topic_name, 0)])
        c.seek_to_beginning()
        seen = []
        deadline = time.monotonic() + 20
        while len(seen) < 13 and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=200).values():
                seen.extend((r.offset, r.timestamp_type, r.timestamp) for r in recs)
    finally:
        c.close()
    assert seen == [(o, 1, append_times[o]) for o in range(13)]


# ---------------------------------------------------------------- crash during compaction

def test_sigkill_during_compaction_loses_no_latest_value(broker_factory, topic_name):
    """A bigger compacted topic, the cleaner throttled so a pass takes seconds; kaffeed is
    SIGKILLed twice while segments are being rewritten. After each restart every key's last
    record is still its latest write, nothing acknowledged is lost, and compaction completes."""
    b = broker_factory("--config", "log.cleaner.backoff.ms=100", "--config", "log.cleaner.io.max.bytes.per.second=2500000")
    admin = admin_client(b)
    create_topic(admin, topic_name, 1, {"cleanup.policy": "compact", "internal.segment.bytes": "262144",
                                        "segment.ms": "1000", "min.cleanable.dirty.ratio": "0.01"})
    keys = [b"k-%04d" % i for i in range(1000)]
    latest: dict[bytes, Latest] = {}
    producer = ck_producer(b, linger_ms=5, enable_idempotence=True)
    sent = [dict(partition=0, key=keys[i % 1000], value=b"v-%06d-" % i + b"p" * 170) for i in range(16000)]
    sent += [dict(partition=0, key=keys[i], value=None) for i in range(0, 1000, 20)]
    for r, (err, partition, offset, (_tt, ts), key, value) in zip(sent, ck_produce(producer, topic_name, sent, flush_timeout=60)):
        assert err is None, err
        record_latest(latest, key, partition, offset, value, (), ts)
    del producer
    del admin
    hw = len(sent)
    pdir = Path(b.data_dir) / "topics" / topic_name / "0"

    def rewriting(min_base: int):
        """A segment rewrite is under way (its .cleaned files or the swap manifest exist)."""
        try:
            names = os.listdir(pdir)
        except FileNotFoundError:
            return False
        return any((n.endswith(".cleaned") and int(n.split(".")[0]) >= min_base) or n.startswith("cleaner.swap")
                   for n in names)

    def check_latest_values():
        batches, got_hw = read_log(b, topic_name, 0)
        assert got_hw == hw, f"high watermark {got_hw} after restart, {hw} acknowledged"
        last: dict[bytes, RawRecord] = {}
        previous = -1
        for batch in batches:
            for r in batch.records:
                assert r.offset > previous, f"offsets out of order at {r.offset}"
                previous = r.offset
                last[r.key] = r
        assert set(last) == set(keys), f"{len(set(keys) - set(last))} keys lost, e.g. {sorted(set(keys) - set(last))[:5]}"
        for k, w in latest.items():
            assert (last[k].offset, last[k].value) == (w.offset, w.value), (k, last[k], w)
        return sum(len(batch.records) for batch in batches)

    counts = []
    for round_, min_base in enumerate((0, 1)):
        # Round 1: the first segment rewrite seen; round 2: a later step (another segment's
        # rewrite, or a swap whose manifest is written, which recovery must finish).
        wait_until(lambda: rewriting(min_base), 30, f"a segment rewrite (round {round_ + 1})", interval=0.005)
        b.kill()
        b.start()
        counts.append(check_latest_values())
        assert " ERROR " not in b.log_text(), b.log_tail()

    def fully_compacted():
        batches, _ = read_log(b, topic_name, 0)
        return sum(len(batch.records) for batch in batches) == len(keys)

    wait_until(fully_compacted, 60, "compaction to finish after the restarts", interval=0.2)
    assert check_latest_values() == len(keys)
    assert counts[0] > len(keys), "the first kill should have come before the log was compacted"
