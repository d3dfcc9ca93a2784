"""Large records: ~900 KB round-trips; records over max.message.bytes (topic config or
--max-message-bytes) are refused with MESSAGE_TOO_LARGE and nothing is appended."""

import os

import pytest
from confluent_kafka import OFFSET_BEGINNING, KafkaError, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic
from kafka import KafkaConsumer, KafkaProducer
from kafka import TopicPartition as KPTopicPartition
from kafka import errors as Errors

from kafkahelpers import (Rec, assert_same_records, ck_common, ck_consume, ck_consumer, ck_produce,
                          ck_producer, kcat_consume_all, raw_fetch)

BIG = 900 * 1024


def kp_producer(broker, **kw):
    return KafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False, acks="all",
                         request_timeout_ms=10000, **kw)


def kp_consume(broker, topic, count, **kw):
    import time
    c = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                      request_timeout_ms=10000, fetch_max_wait_ms=200, **kw)
    try:
        tp = KPTopicPartition(topic, 0)
        c.assign([tp])
        c.seek_to_beginning(tp)
        got, deadline = [], time.monotonic() + 20
        while len(got) < count and time.monotonic() < deadline:
            for recs in c.poll(timeout_ms=200).values():
                got.extend(Rec(r.partition, r.offset, r.key, r.value, tuple(r.headers or ()), r.timestamp)
                           for r in recs)
        return got
    finally:
        c.close()


def test_900kb_record_round_trips(broker, topic_name):
    payloads = [os.urandom(BIG), b"small after big", os.urandom(BIG - 1000)]
    producer = ck_producer(broker, linger_ms=0)
    reports = ck_produce(producer, topic_name, [dict(partition=0, key=b"big%d" % i, value=v)
                                               for i, v in enumerate(payloads)])
    assert [(r[0], r[2]) for r in reports] == [(None, 0), (None, 1), (None, 2)], reports
    expected = [Rec(0, i, b"big%d" % i, v, (), reports[i][3][1]) for i, v in enumerate(payloads)]

    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        assert_same_records(ck_consume(consumer, 3, eof_partitions=1), expected)
    finally:
        consumer.close()
    # kafka-python with partition/fetch limits far below the record size: the broker must still
    # return the first batch whole (KIP-74), so the consumer makes progress.
    assert_same_records(kp_consume(broker, topic_name, 3, max_partition_fetch_bytes=65536,
                                   fetch_max_bytes=65536), expected)
    assert_same_records(kcat_consume_all(broker, topic_name), [Rec(r.partition, r.offset, r.key, r.value, (),
                                                                   r.timestamp) for r in expected])


def _create_topic_with_limit(broker, name, limit):
    admin = AdminClient(ck_common(broker))
    fs = admin.create_topics([NewTopic(name, 1, 1, config={"max.message.bytes": str(limit)})],
                             request_timeout=15)
    fs[name].result(timeout=20)
    return admin


def _assert_ck_refused(broker, topic, size, next_offset):
    producer = ck_producer(broker, linger_ms=0)
    reports = ck_produce(producer, topic, [dict(partition=0, value=os.urandom(size))])
    err = reports[0][0]
    assert err is not None and err.code() == KafkaError.MSG_SIZE_TOO_LARGE, (
        f"a {size}-byte record was {'accepted at offset %d' % reports[0][2] if err is None else err}")
    fetched = raw_fetch(broker, topic, 0, 0)
    assert fetched.high_watermark == next_offset, f"high watermark moved to {fetched.high_watermark}"
    assert sum(b.record_count for b in fetched.batches) == next_offset, fetched
    # The partition still takes records, at the next offset.
    reports = ck_produce(producer, topic, [dict(partition=0, value=b"fits")])
    assert (reports[0][0], reports[0][2]) == (None, next_offset), reports


def test_topic_max_message_bytes(broker, topic_name):
    admin = _create_topic_with_limit(broker, topic_name, 100_000)
    res = admin.describe_configs([ConfigResource("topic", topic_name)])
    (cfg,) = [f.result(timeout=20) for f in res.values()]
    assert cfg["max.message.bytes"].value == "100000", cfg["max.message.bytes"]

    producer = ck_producer(broker, linger_ms=0)
    reports = ck_produce(producer, topic_name, [dict(partition=0, value=os.urandom(90_000))])
    assert (reports[0][0], reports[0][2]) == (None, 0), reports

    _assert_ck_refused(broker, topic_name, 200_000, next_offset=1)     # -> "fits" at 1

    p = kp_producer(broker)
    try:
        with pytest.raises(Errors.MessageSizeTooLargeError):
            p.send(topic_name, value=os.urandom(150_000), partition=0).get(timeout=20)
        assert raw_fetch(broker, topic_name, 0, 0).high_watermark == 2
        assert p.send(topic_name, value=b"after", partition=0).get(timeout=20).offset == 2
    finally:
        p.close(timeout=5)


def test_broker_max_message_bytes_flag(broker_factory, topic_name):
    small = broker_factory("--max-message-bytes", "100000")
    producer = ck_producer(small, linger_ms=0)
    assert ck_produce(producer, topic_name, [dict(partition=0, value=os.urandom(95_000))])[0][0] is None
    _assert_ck_refused(small, topic_name, 300_000, next_offset=1)

    # kafka-python: one record too large is refused; a batch of small records that is too large
    # as a whole is split by the client after the broker's MESSAGE_TOO_LARGE, and then lands.
    p = kp_producer(small, linger_ms=200, batch_size=1_000_000)
    try:
        with pytest.raises(Errors.MessageSizeTooLargeError):
            p.send(topic_name, value=os.urandom(120_000), partition=0).get(timeout=20)
        futs = [p.send(topic_name, value=os.urandom(30_000), partition=0) for _ in range(6)]
        offsets = [f.get(timeout=30).offset for f in futs]
    finally:
        p.close(timeout=5)
    assert offsets == list(range(2, 8)), offsets
    assert raw_fetch(small, topic_name, 0, 0).high_watermark == 8
    assert [r.offset for r in kp_consume(small, topic_name, 8)] == list(range(8))
