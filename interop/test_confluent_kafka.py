"""confluent-kafka-python 2.16 (librdkafka 2.1x): admin, producer, assign()-consumer, offsets."""

import pytest
from confluent_kafka import (OFFSET_BEGINNING, KafkaError, KafkaException, TopicPartition,
                             TIMESTAMP_CREATE_TIME)
from confluent_kafka.admin import AdminClient, NewTopic

from kafkahelpers import (Rec, assert_same_records, ck_common, ck_consume, ck_consumer,
                          ck_produce, ck_producer, kcat, kcat_consume_all, now_ms, raw_fetch)


def admin_client(broker):
    return AdminClient(ck_common(broker))


def create_topic(admin, name, partitions, config=None):
    fs = admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1,
                                       config=config or {})],
                             operation_timeout=10, request_timeout=15)
    fs[name].result(timeout=20)


def topic_names(admin):
    return set(admin.list_topics(timeout=10).topics)


def test_admin_create_list_delete_recreate(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 3)

    md = admin.list_topics(timeout=10)
    assert len(md.brokers) == 1, md.brokers
    (b,) = md.brokers.values()
    assert (b.host, b.port) == (broker.host, broker.port), b
    assert md.controller_id == b.id
    assert topic_name in md.topics, sorted(md.topics)
    t = md.topics[topic_name]
    assert t.error is None, t.error
    assert sorted(t.partitions) == [0, 1, 2]
    for p in t.partitions.values():
        assert p.error is None and p.leader == b.id and p.replicas == [b.id] and p.isrs == [b.id], p

    # Creating it again is refused with TOPIC_ALREADY_EXISTS.
    with pytest.raises(KafkaException) as exc:
        create_topic(admin, topic_name, 3)
    assert exc.value.args[0].code() == KafkaError.TOPIC_ALREADY_EXISTS, exc.value

    # Some data, so that a re-created topic visibly starts empty.
    producer = ck_producer(broker)
    reports = ck_produce(producer, topic_name, [dict(partition=2, value=b"old-%d" % i) for i in range(5)])
    assert [(r[0], r[1], r[2]) for r in reports] == [(None, 2, i) for i in range(5)]
    del producer

    fs = admin.delete_topics([topic_name], operation_timeout=10, request_timeout=15)
    fs[topic_name].result(timeout=20)
    assert topic_name not in topic_names(admin)
    # kcat's full listing (Metadata v4 with all topics) does not show it either.
    assert f'topic "{topic_name}"' not in kcat(broker, "-L").stdout.decode()

    # Deleting it again: UNKNOWN_TOPIC_OR_PART.
    with pytest.raises(KafkaException) as exc:
        admin.delete_topics([topic_name], operation_timeout=10, request_timeout=15)[topic_name].result(timeout=20)
    assert exc.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART, exc.value

    # Re-creating works, with the new partition count and no old data.
    create_topic(admin, topic_name, 2)
    t = admin.list_topics(timeout=10).topics[topic_name]
    assert sorted(t.partitions) == [0, 1], t.partitions
    consumer = ck_consumer(broker)
    try:
        for p in (0, 1):
            assert consumer.get_watermark_offsets(TopicPartition(topic_name, p), timeout=10) == (0, 0)
        producer = ck_producer(broker)
        reports = ck_produce(producer, topic_name, [dict(partition=1, value=b"new")])
        assert [(r[0], r[1], r[2]) for r in reports] == [(None, 1, 0)]
        consumer.assign([TopicPartition(topic_name, 1, OFFSET_BEGINNING)])
        got = ck_consume(consumer, 1, eof_partitions=1)
        assert [(r.partition, r.offset, r.value) for r in got] == [(1, 0, b"new")]
    finally:
        consumer.close()


def _records(base_ts):
    """90 records over 3 partitions: explicit partitions and keyed ones, headers (repeated
    keys, null values, binary), null/empty keys and values."""
    out = []
    for i in range(90):
        headers = [("idx", str(i).encode()), ("dup", b"first"), ("dup", b"second")]
        if i % 5 == 0:
            headers.append(("nullvalue", None))
        if i % 7 == 0:
            headers.append(("bin", bytes(range(256))))
        r = dict(value=f"value-{i}".encode() * (1 + i % 13), headers=headers, timestamp=base_ts + 10 * i)
        if i % 3 == 0:
            r["partition"] = (i // 3) % 3
            r["key"] = None if i % 2 else b""
        else:
            r["key"] = f"key-{i % 11}".encode()
        if i == 10:
            r["value"] = None          # tombstone
        if i == 11:
            r["value"] = b""           # empty, not null
        if i == 12:
            r["headers"] = []
        out.append(r)
    return out


def test_producer_acks_all_and_consumer_reads_everything_back(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 3)
    base = now_ms() - 120_000
    records = _records(base)
    producer = ck_producer(broker, acks="all", linger_ms=20)
    reports = ck_produce(producer, topic_name, records)

    expected = []
    next_offset = {0: 0, 1: 0, 2: 0}
    for r, (err, partition, offset, ts, key, value) in zip(records, reports):
        assert err is None, err
        if "partition" in r:
            assert partition == r["partition"]
        assert key == r["key"] and value == r["value"]
        assert ts == (TIMESTAMP_CREATE_TIME, r["timestamp"]), ts
        # Offsets of one partition follow the produce order without gaps.
        assert offset == next_offset[partition], (partition, offset, next_offset)
        next_offset[partition] += 1
        expected.append(Rec(partition, offset, r["key"], r["value"], tuple(r["headers"]), r["timestamp"]))
    assert sum(next_offset.values()) == 90 and all(next_offset.values()), next_offset

    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, p, OFFSET_BEGINNING) for p in range(3)])
        got = ck_consume(consumer, 90, eof_partitions=3)
        assert_same_records(got, expected)

        for p in range(3):
            assert consumer.get_watermark_offsets(TopicPartition(topic_name, p), timeout=10) == (0, next_offset[p])

        # offsets_for_times: the first offset whose timestamp is >= the query, -1 past the end.
        # One call per probe (all partitions at once): librdkafka merges duplicate partitions.
        mine = {p: [e for e in expected if e.partition == p] for p in range(3)}
        probes = [lambda m: base - 1, lambda m: m[len(m) // 2].timestamp,
                  lambda m: m[len(m) // 2].timestamp + 1, lambda m: m[-1].timestamp,
                  lambda m: m[-1].timestamp + 1]
        for probe in probes:
            queries = [TopicPartition(topic_name, p, probe(mine[p])) for p in range(3)]
            want, got_times = {}, {}
            for q in queries:
                later = [e.offset for e in mine[q.partition] if e.timestamp >= q.offset]
                want[(q.partition, q.offset)] = later[0] if later else -1
            for q, tp in zip(queries, consumer.offsets_for_times(queries, timeout=10)):
                assert tp.error is None and tp.partition == q.partition, tp
                got_times[(q.partition, q.offset)] = tp.offset
            assert got_times == want
    finally:
        consumer.close()


@pytest.mark.parametrize("acks", [0, 1])
def test_producer_other_acks(broker, topic_name, acks):
    producer = ck_producer(broker, acks=acks)
    values = [b"acks%d-%d" % (acks, i) for i in range(30)]
    reports = ck_produce(producer, topic_name, [dict(partition=0, value=v) for v in values])
    assert all(r[0] is None for r in reports), reports
    if acks == 1:
        assert [r[2] for r in reports] == list(range(30))
    got = kcat_consume_all(broker, topic_name)
    assert_same_records(got, [Rec(0, i, None, v) for i, v in enumerate(values)], compare_ts=False)


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_compressed_produce(broker, topic_name, codec):
    producer = ck_producer(broker, compression_type=codec, linger_ms=50)
    records = [dict(partition=0, key=b"k%d" % i, value=(b"compress me %d " % i) * 40,
                    headers=[("codec", codec.encode())]) for i in range(40)]
    reports = ck_produce(producer, topic_name, records)
    assert [(r[0], r[2]) for r in reports] == [(None, i) for i in range(40)]
    expected = [Rec(0, i, r["key"], r["value"], tuple(r["headers"]), reports[i][3][1])
                for i, r in enumerate(records)]

    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        assert_same_records(ck_consume(consumer, 40, eof_partitions=1), expected)
    finally:
        consumer.close()
    assert_same_records(kcat_consume_all(broker, topic_name),
                        [Rec(r.partition, r.offset, r.key, r.value, (), r.timestamp) for r in expected])

    fetched = raw_fetch(broker, topic_name, 0, 0)
    assert fetched.high_watermark == 40 and sum(b.record_count for b in fetched.batches) == 40, fetched
    assert {b.codec for b in fetched.batches} == {codec}, (
        f"confluent-kafka was asked for {codec}; the broker holds {fetched.batches}")


def test_consume_waits_for_topic_created_later(broker, topic_name):
    """A consumer assigned to a partition that does not exist yet starts reading once it does."""
    consumer = ck_consumer(broker, topic_metadata_refresh_interval_ms=200)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        for _ in range(3):
            msg = consumer.poll(0.2)
            assert msg is None or msg.error(), msg
        producer = ck_producer(broker)
        ck_produce(producer, topic_name, [dict(partition=0, value=b"late")])
        got = ck_consume(consumer, 1, timeout=15)
        assert [(r.partition, r.offset, r.value) for r in got] == [(0, 0, b"late")]
    finally:
        consumer.close()
