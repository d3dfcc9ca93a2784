"""kafka-python 3.0: admin, non-idempotent producer, group-less consumer, offset lookups."""

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka import errors as Errors

from kafkahelpers import Rec, assert_same_records, kcat_consume_all, now_ms, raw_fetch

TIMEOUTS = dict(request_timeout_ms=10000, bootstrap_timeout_ms=10000,
                reconnect_backoff_ms=50, reconnect_backoff_max_ms=500)


def admin_client(broker):
    return KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="interop-admin", **TIMEOUTS)


def producer(broker, **kw):
    conf = dict(bootstrap_servers=broker.bootstrap, enable_idempotence=False, acks="all",
                linger_ms=5, **TIMEOUTS)
    conf.update(kw)
    return KafkaProducer(**conf)


def consumer(broker, **kw):
    conf = dict(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                auto_offset_reset="earliest", fetch_max_wait_ms=200, check_crcs=True, **TIMEOUTS)
    conf.update(kw)
    return KafkaConsumer(**conf)


def kp_rec(r) -> Rec:
    return Rec(r.partition, r.offset, r.key, r.value, tuple(r.headers or ()), r.timestamp)


def consume(c, expected_count, timeout=20.0):
    import time
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < expected_count and time.monotonic() < deadline:
        for recs in c.poll(timeout_ms=200).values():
            got.extend(kp_rec(r) for r in recs)
    return got


def test_admin_create_list_delete(broker, topic_name):
    admin = admin_client(broker)
    try:
        admin.create_topics({topic_name: {"num_partitions": 3, "replication_factor": 1}}, timeout_ms=10000)
        assert topic_name in admin.list_topics()
        (desc,) = admin.describe_topics([topic_name])
        assert desc["error_code"] == 0, desc
        assert sorted(p["partition_index"] for p in desc["partitions"]) == [0, 1, 2], desc

        with pytest.raises(Errors.TopicAlreadyExistsError):
            admin.create_topics({topic_name: {"num_partitions": 3, "replication_factor": 1}}, timeout_ms=10000)

        admin.delete_topics([topic_name], timeout_ms=10000)
        assert topic_name not in admin.list_topics()
        with pytest.raises(Errors.UnknownTopicOrPartitionError):
            admin.delete_topics([topic_name], timeout_ms=10000)

        admin.create_topics({topic_name: {"num_partitions": 1, "replication_factor": 1}}, timeout_ms=10000)
        (desc,) = admin.describe_topics([topic_name])
        assert [p["partition_index"] for p in desc["partitions"]] == [0], desc
    finally:
        admin.close()


def test_produce_with_futures_and_consume_back(broker, topic_name):
    admin = admin_client(broker)
    try:
        admin.create_topics({topic_name: {"num_partitions": 3, "replication_factor": 1}}, timeout_ms=10000)
    finally:
        admin.close()

    base = now_ms() - 300_000
    p = producer(broker)
    sent = []
    try:
        for i in range(60):
            headers = [("i", str(i).encode()), ("same", b"1"), ("same", b"2")]
            if i % 4 == 0:
                headers.append(("empty", b""))  # kafka-python refuses None header values
            kw = dict(value=b"kp-value-%d" % i * (1 + i % 9), headers=headers, timestamp_ms=base + 7 * i)
            if i % 2:
                kw["key"] = b"kp-key-%d" % (i % 5)
            else:
                kw["partition"] = i % 3
            if i == 7:
                kw["value"] = None  # tombstone (kafka-python needs a key then)
            sent.append((kw, p.send(topic_name, **kw)))
        p.flush(timeout=20)
        expected, next_offset = [], {0: 0, 1: 0, 2: 0}
        for kw, fut in sent:
            md = fut.get(timeout=20)
            assert md.topic == topic_name
            if "partition" in kw:
                assert md.partition == kw["partition"]
            assert md.offset == next_offset[md.partition], (md, next_offset)
            assert md.timestamp == kw["timestamp_ms"], md
            next_offset[md.partition] += 1
            expected.append(Rec(md.partition, md.offset, kw.get("key"), kw["value"], tuple(kw["headers"]),
                                kw["timestamp_ms"]))
    finally:
        p.close(timeout=10)

    c = consumer(broker)
    try:
        tps = [TopicPartition(topic_name, i) for i in range(3)]
        c.assign(tps)
        c.seek_to_beginning()
        got = consume(c, 60)
        assert_same_records(got, expected)

        assert c.beginning_offsets(tps, timeout_ms=10000) == {tp: 0 for tp in tps}
        assert c.end_offsets(tps, timeout_ms=10000) == {tp: next_offset[tp.partition] for tp in tps}

        for pick in (lambda m: base - 1, lambda m: m[len(m) // 2].timestamp,
                     lambda m: m[len(m) // 2].timestamp + 1, lambda m: m[-1].timestamp + 1):
            query, want = {}, {}
            for tp in tps:
                mine = [e for e in expected if e.partition == tp.partition]
                ts = pick(mine)
                query[tp] = ts
                later = [e for e in mine if e.timestamp >= ts]
                want[tp] = (later[0].offset, later[0].timestamp) if later else None
            result = c.offsets_for_times(query, timeout_ms=10000)
            got_times = {tp: (v.offset, v.timestamp) if v is not None else None for tp, v in result.items()}
            assert got_times == want, query
    finally:
        c.close()


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_compressed_produce(broker, topic_name, codec):
    p = producer(broker, compression_type=codec, linger_ms=50)
    try:
        futs = [p.send(topic_name, key=b"%d" % i, value=b"kafka-python %s %d " % (codec.encode(), i) * 30,
                       partition=0) for i in range(30)]
        p.flush(timeout=20)
        offsets = [f.get(timeout=20).offset for f in futs]
    finally:
        p.close(timeout=10)
    assert offsets == list(range(30))
    expected = [Rec(0, i, b"%d" % i, b"kafka-python %s %d " % (codec.encode(), i) * 30) for i in range(30)]

    c = consumer(broker)
    try:
        c.assign([TopicPartition(topic_name, 0)])
        c.seek_to_beginning()
        assert_same_records(consume(c, 30), expected, compare_ts=False)
    finally:
        c.close()
    assert_same_records(kcat_consume_all(broker, topic_name), expected, compare_ts=False)
    fetched = raw_fetch(broker, topic_name, 0, 0)
    assert {b.codec for b in fetched.batches} == {codec}, fetched.batches


def test_seek_inside_batch(broker, topic_name):
    p = producer(broker, linger_ms=100)
    try:
        for i in range(20):
            p.send(topic_name, value=b"v%d" % i, partition=0)
        p.flush(timeout=20)
    finally:
        p.close(timeout=10)
    c = consumer(broker)
    try:
        tp = TopicPartition(topic_name, 0)
        c.assign([tp])
        c.seek(tp, 13)
        got = consume(c, 7)
        assert [(r.offset, r.value) for r in got] == [(i, b"v%d" % i) for i in range(13, 20)]
        # Nothing more arrives.
        assert consume(c, 1, timeout=0.5) == []
    finally:
        c.close()
