"""Acknowledged data survives a broker restart: graceful (SIGTERM) and crash (SIGKILL)."""

import re
import signal

from confluent_kafka import OFFSET_BEGINNING, TopicPartition

from kafkahelpers import (Rec, assert_same_records, ck_consume, ck_consumer, ck_produce, ck_producer,
                          kcat_consume_all, now_ms)

BROKER_ARGS = ["--default-partitions", "2"]

# What a clean start after a clean shutdown must not log.
RECOVERY_WORDS = re.compile(r"recover|corrupt|truncat|rebuild|scann|damaged|unclean|checkpoint|"
                            r"\bWARN|\bERROR", re.IGNORECASE)


def produce(producer, topic, count, first=0):
    base = now_ms() - 10_000
    records = [dict(partition=i % 2, key=b"key-%d" % i, value=b"durable-%d-" % i + bytes([i % 251]) * (i % 300),
                    headers=[("seq", b"%d" % i)], timestamp=base + i) for i in range(first, first + count)]
    reports = ck_produce(producer, topic, records)
    out = []
    for r, (err, p, off, ts, _, _) in zip(records, reports):
        assert err is None, err
        assert p == r["partition"]
        out.append(Rec(p, off, r["key"], r["value"], tuple(r["headers"]), r["timestamp"]))
    return out


def read_all(broker, topic, count):
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in range(2)])
        got = ck_consume(consumer, count, eof_partitions=2)
        marks = [consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in range(2)]
        return got, marks
    finally:
        consumer.close()


def check_offsets_contiguous(expected):
    for p in (0, 1):
        offs = [r.offset for r in expected if r.partition == p]
        assert offs == list(range(len(offs))), (p, offs)


def assert_clean_start(broker):
    assert "stopped cleanly" in broker.log_text(-2), broker.log_tail()
    new_log = broker.log_text()
    noisy = [l for l in new_log.splitlines()[1:] if RECOVERY_WORDS.search(l)]
    assert not noisy, "a start after a clean shutdown logged:\n" + "\n".join(noisy)


def test_restart_after_sigterm(broker, topic_name):
    producer = ck_producer(broker, acks="all")
    expected = produce(producer, topic_name, 400)
    check_offsets_contiguous(expected)

    broker.restart(signal.SIGTERM)      # asserts exit code 0
    assert_clean_start(broker)

    got, marks = read_all(broker, topic_name, 400)
    assert_same_records(got, expected)
    assert marks == [(0, 200), (0, 200)]

    # The same producer reconnects and appends after the surviving records.
    expected += produce(producer, topic_name, 20, first=400)
    check_offsets_contiguous(expected)
    got, marks = read_all(broker, topic_name, 420)
    assert_same_records(got, expected)
    assert marks == [(0, 210), (0, 210)]


def test_restart_after_sigkill(broker, topic_name):
    producer = ck_producer(broker, acks="all")
    expected = produce(producer, topic_name, 400)
    check_offsets_contiguous(expected)

    broker.restart(signal.SIGKILL)      # a crash: no flush, no clean checkpoint
    got, marks = read_all(broker, topic_name, 400)
    assert_same_records(got, expected)
    assert marks == [(0, 200), (0, 200)]

    expected += produce(producer, topic_name, 20, first=400)
    check_offsets_contiguous(expected)

    # A clean restart after the recovery is clean again and keeps everything.
    broker.restart(signal.SIGTERM)
    assert_clean_start(broker)
    got, marks = read_all(broker, topic_name, 420)
    assert_same_records(got, expected)
    assert marks == [(0, 210), (0, 210)]
    assert len(kcat_consume_all(broker, topic_name)) == 420


def test_all_topics_survive_restarts(broker):
    """Every topic the module created (the ones above) is still listed after the restarts."""
    from confluent_kafka.admin import AdminClient
    from kafkahelpers import ck_common
    names = set(AdminClient(ck_common(broker)).list_topics(timeout=10).topics)
    assert {n for n in names if n.startswith("test_restart_after_sig")} and len(names) >= 2, names
    broker.restart(signal.SIGTERM)
    assert_clean_start(broker)
    assert set(AdminClient(ck_common(broker)).list_topics(timeout=10).topics) == names
