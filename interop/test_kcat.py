"""kcat 1.7.1 (librdkafka 2.0.2): metadata, produce from a file, consume, -Q, compression."""

import json
import zlib

import pytest

from kafkahelpers import (Rec, assert_same_records, ck_consume, ck_consumer, ck_produce,
                          ck_producer, kcat, kcat_consume_all, now_ms, raw_fetch)

BROKER_ARGS = ["--default-partitions", "3"]


def test_metadata_lists_broker_and_autocreated_topic(broker, topic_name):
    # Asking for an unknown topic auto-creates it (3 partitions: --default-partitions 3).
    meta = json.loads(kcat(broker, "-L", "-J", "-t", topic_name).stdout)
    assert [b["name"] for b in meta["brokers"]] == [broker.bootstrap], meta["brokers"]
    broker_id = meta["brokers"][0]["id"]
    assert meta.get("controllerid") == broker_id, meta
    topics = {t["topic"]: t for t in meta["topics"]}
    assert topic_name in topics, meta
    t = topics[topic_name]
    assert "error" not in t, t
    parts = sorted(t["partitions"], key=lambda p: p["partition"])
    assert [p["partition"] for p in parts] == [0, 1, 2], t
    for p in parts:
        assert p["leader"] == broker_id, p
        assert [r["id"] for r in p["replicas"]] == [broker_id], p
        assert [r["id"] for r in p["isrs"]] == [broker_id], p
        assert "error" not in p, p

    # The plain listing of all topics shows the advertised address and the topic too.
    text = kcat(broker, "-L").stdout.decode()
    assert f"broker {broker_id} at {broker.bootstrap}" in text, text
    assert f'topic "{topic_name}" with 3 partitions:' in text, text


def test_produce_lines_from_file_and_consume(broker, topic_name, tmp_path):
    lines = [f"line {i}: héllo wörld \t tab {'x' * (i * 7 % 50)}".encode() for i in range(40)]
    src = tmp_path / "lines.txt"
    src.write_bytes(b"\n".join(lines) + b"\n")
    kcat(broker, "-P", "-t", topic_name, "-p", "1", "-l", str(src))

    got = kcat_consume_all(broker, topic_name)
    expected = [Rec(1, i, None, v) for i, v in enumerate(lines)]
    assert_same_records(got, expected, compare_ts=False)
    # Relative to the end (ListOffsets "latest" minus 5): exactly the last five lines.
    last5 = kcat_consume_all(broker, topic_name, "-p", "1", "-o", "-5")
    assert_same_records(last5, expected[-5:], compare_ts=False)
    # kcat stamps records with the produce time: all recent and non-decreasing by offset.
    stamps = [r.timestamp for r in sorted(got, key=lambda r: r.offset)]
    assert stamps == sorted(stamps) and abs(stamps[0] - now_ms()) < 120_000, stamps


def test_produce_keyed_lines_and_consume_every_field(broker, topic_name, tmp_path):
    pairs = [(f"key-{i % 7}".encode(), f"value {i} with: colons: and ünïcode".encode()) for i in range(60)]
    src = tmp_path / "keyed.txt"
    src.write_bytes(b"".join(k + b":" + v + b"\n" for k, v in pairs))
    kcat(broker, "-P", "-t", topic_name, "-K:", "-l", str(src))

    # librdkafka's default partitioner (consistent_random) is CRC32(key) % partitions, and
    # one producer keeps per-partition order, so every partition and offset is predictable.
    next_offset = [0, 0, 0]
    expected = []
    for k, v in pairs:
        p = zlib.crc32(k) % 3
        expected.append(Rec(p, next_offset[p], k, v))
        next_offset[p] += 1
    got = kcat_consume_all(broker, topic_name)
    assert_same_records(got, expected, compare_ts=False)

    # Reading one partition from an offset in the middle returns exactly the tail.
    p = max(range(3), key=lambda i: next_offset[i])
    mid = next_offset[p] // 2
    tail = kcat_consume_all(broker, topic_name, "-p", str(p), "-o", str(mid))
    assert_same_records(tail, [r for r in expected if r.partition == p and r.offset >= mid],
                        compare_ts=False)


def _kcat_query(broker, topic, partition, ts):
    out = kcat(broker, "-Q", "-t", f"{topic}:{partition}:{ts}").stdout.decode()
    line = [l for l in out.splitlines() if l.strip()]
    assert len(line) == 1, out
    # e.g. "topic [0] offset 5"
    prefix = f"{topic} [{partition}] offset "
    assert line[0].startswith(prefix), out
    return int(line[0][len(prefix):])


def test_query_offsets_by_timestamp(broker, topic_name):
    # Partition 0: 12 records at base + 1000*i, written as three batches of 4 (flush after each),
    # so lookups land on batch boundaries and inside batches.
    base = now_ms() - 3_600_000
    producer = ck_producer(broker, linger_ms=50)
    for b in range(3):
        reports = ck_produce(producer, topic_name, [
            dict(partition=0, value=b"ts-%d" % i, timestamp=base + 1000 * i)
            for i in range(4 * b, 4 * b + 4)])
        assert [(r[0], r[1], r[2]) for r in reports] == [(None, 0, i) for i in range(4 * b, 4 * b + 4)], reports

    expectations = {
        base - 5000: 0,          # before everything: the first record
        base: 0,                 # exact match on the first
        base + 1: 1,             # between records: the next one
        base + 3000: 3,          # last record of the first batch
        base + 3500: 4,          # first record of the second batch
        base + 6000: 6,          # inside the second batch
        base + 11000: 11,        # the last record
        base + 11001: -1,        # after the last record: no offset (kcat prints -1)
        now_ms() + 3_600_000: -1,
    }
    got = {ts: _kcat_query(broker, topic_name, 0, ts) for ts in expectations}
    assert got == expectations

    # An empty partition answers -1 for any timestamp too.
    assert _kcat_query(broker, topic_name, 2, base) == -1


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_compressed_produce_passes_through(broker, topic_name, tmp_path, codec):
    pairs = []
    for i in range(50):
        value = json.dumps({"n": i, "codec": codec, "text": "the quick brown fox " * (5 + i % 20),
                            "pad": "z" * (i * 31 % 400)}).encode()
        pairs.append((f"k{i}".encode(), value))
    src = tmp_path / "compressible.txt"
    src.write_bytes(b"".join(k + b":" + v + b"\n" for k, v in pairs))
    kcat(broker, "-P", "-t", topic_name, "-p", "0", "-K:", "-z", codec, "-l", str(src))

    expected = [Rec(0, i, k, v) for i, (k, v) in enumerate(pairs)]

    # kcat reads them back exactly.
    by_kcat = kcat_consume_all(broker, topic_name)
    assert_same_records(by_kcat, expected, compare_ts=False)

    # confluent-kafka (librdkafka 2.1x, CRC checks on) reads the same bytes and timestamps.
    from confluent_kafka import TopicPartition, OFFSET_BEGINNING
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        by_ck = ck_consume(consumer, 50, eof_partitions=1)
        assert_same_records(by_ck, by_kcat, compare_ts=True)

        # Starting inside a compressed batch: the records before the position are skipped.
        consumer.assign([TopicPartition(topic_name, 0, 37)])
        tail = ck_consume(consumer, 13, eof_partitions=1)
        assert_same_records(tail, [r for r in by_kcat if r.offset >= 37], compare_ts=True)
    finally:
        consumer.close()

    # Last: the broker serves the batches exactly as they were produced, compressed with the codec.
    fetched = raw_fetch(broker, topic_name, 0, 0)
    assert fetched.error_code == 0 and fetched.high_watermark == 50, fetched
    assert fetched.batches, fetched
    codecs = {b.codec for b in fetched.batches}
    assert codecs == {codec}, (
        f"kcat was asked for {codec} but the broker holds batches compressed with {codecs}: "
        f"{fetched.batches}. (librdkafka 2.0.2 silently sends uncompressed data when it thinks the "
        f"broker lacks the codec: lz4 needs FindCoordinator v0 advertised, gzip/snappy/lz4 need "
        f"Produce v0 in range, zstd needs Produce 7 and Fetch 10; run kcat with -d feature,msg.)")
    assert {b.magic for b in fetched.batches} == {2}, fetched.batches
    assert sum(b.record_count for b in fetched.batches) == 50, fetched.batches
    assert fetched.batches[0].base_offset == 0
    for a, b in zip(fetched.batches, fetched.batches[1:]):
        assert b.base_offset == a.base_offset + a.last_offset_delta + 1, fetched.batches
    raw_size = sum(len(v) for _, v in pairs)
    assert sum(b.size for b in fetched.batches) < raw_size / 2, "batches are not smaller than the payload"
