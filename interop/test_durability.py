"""Acknowledged data survives a broker restart: graceful (SIGTERM) and crash (SIGKILL)."""

import re
import signal

from confluent_kafka import OFFSET_BEGINNING, TopicPartition

from kafkahelpers import (Rec, assert_same_records, ck_consume, ck_consumer, ck_produce, ck_producer, produce_stream,
                          kcat_consume_all, now_ms)

BROKER_ARGS = ["--default-partitions", "2"]

# What a clean start after a clean shutdown must not log: anything about recovery, and no
# warning or error (other than a client's connection being closed, which is about clients).
RECOVERY_WORDS = re.compile(r"recover|corrupt|truncat|rebuild|scann|damaged|unclean|checkpoint",
                            re.IGNORECASE)
WARN_OR_ERROR = re.compile(r"\b(WARN|WARNING|ERROR)\b")


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
    noisy = [l for l in new_log.splitlines()[1:]
             if RECOVERY_WORDS.search(l) or (WARN_OR_ERROR.search(l) and "closing connection from" not in l)]
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


def _produce_while(broker, topic, action, total=3000):
    return produce_stream(broker, topic, action, total, acks="all")


def _check_acked_survived(broker, topic, acked):
    # Every acknowledged record is at the offset it was acknowledged with. (The producer is not
    # idempotent: a batch whose ack was lost in the restart may be there twice.)
    fetched = {}
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        hw = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[1]
        for r in ck_consume(consumer, hw, eof_partitions=1, timeout=30):
            fetched[r.offset] = r.value
    finally:
        consumer.close()
    assert sorted(fetched) == list(range(hw)), "offsets are not contiguous from 0"
    wrong = {o: (v, fetched.get(o)) for o, v in acked.items() if fetched.get(o) != v}
    assert not wrong, f"{len(wrong)} acknowledged records missing or different, e.g. " \
                      f"{sorted(wrong.items())[:5]}"
    values = set(fetched.values())
    assert len(values) == 3000, f"{3000 - len(values)} of the 3000 records are missing"


def test_sigterm_while_producing(broker, topic_name):
    acked = _produce_while(broker, topic_name, lambda: broker.restart(signal.SIGTERM))
    assert_clean_start(broker)
    _check_acked_survived(broker, topic_name, acked)


def test_sigkill_while_producing(broker, topic_name):
    acked = _produce_while(broker, topic_name, lambda: broker.restart(signal.SIGKILL))
    _check_acked_survived(broker, topic_name, acked)


def test_shutdown_with_parked_fetches_is_prompt(broker, topic_name):
    """SIGTERM while consumers are long-polling: the broker exits quickly with code 0."""
    import threading
    import time
    from kafkahelpers import raw_fetch
    ck_produce(ck_producer(broker), topic_name, [dict(partition=0, value=b"x")])
    consumer = ck_consumer(broker, fetch_wait_max_ms=10000)
    parked = threading.Thread(target=lambda: _ignore_errors(
        lambda: raw_fetch(broker, topic_name, 0, 1, max_wait_ms=30000, min_bytes=1, socket_timeout=40)),
        daemon=True)
    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        assert len(ck_consume(consumer, 1)) == 1   # (no EOF wait: that is a 10 s long-poll)
        parked.start()
        time.sleep(0.5)
        t0 = time.monotonic()
        broker.stop(signal.SIGTERM)     # asserts exit code 0
        took = time.monotonic() - t0
        assert took < 5, f"shutdown took {took:.1f}s with parked fetches"
        parked.join(10)
        assert not parked.is_alive(), "the parked fetch's connection was left open after shutdown"
    finally:
        if not broker.running:
            broker.start()
        consumer.close()
    assert_clean_start(broker)


def _ignore_errors(fn):
    try:
        fn()
    except Exception:
        pass


def test_deleted_topic_stays_deleted_and_configs_persist(broker, topic_name):
    from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic
    from kafkahelpers import ck_common, raw_fetch
    gone, limited = topic_name + "-gone", topic_name + "-limited"
    admin = AdminClient(ck_common(broker))
    fs = admin.create_topics([NewTopic(gone, 2, 1), NewTopic(limited, 1, 1, config={"max.message.bytes": "50000"})],
                             request_timeout=15)
    for f in fs.values():
        f.result(timeout=20)
    producer = ck_producer(broker)
    produce(producer, gone, 10)
    admin.delete_topics([gone], request_timeout=15)[gone].result(timeout=20)
    del producer

    broker.restart(signal.SIGTERM)
    assert_clean_start(broker)
    admin = AdminClient(ck_common(broker))
    topics = admin.list_topics(timeout=10).topics
    assert gone not in topics, "a deleted topic came back after a restart"
    assert limited in topics
    (cfg,) = [f.result(timeout=20) for f in admin.describe_configs([ConfigResource("topic", limited)]).values()]
    assert cfg["max.message.bytes"].value == "50000", cfg["max.message.bytes"]
    # ...and it is still enforced.
    import os
    from confluent_kafka import KafkaError
    reports = ck_produce(ck_producer(broker, linger_ms=0), limited, [dict(partition=0, value=os.urandom(80_000))])
    assert reports[0][0] is not None and reports[0][0].code() == KafkaError.MSG_SIZE_TOO_LARGE, reports
    assert raw_fetch(broker, limited, 0, 0).high_watermark == 0
