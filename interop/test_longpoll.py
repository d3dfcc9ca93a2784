"""Fetch long-polling: parked fetches wake on produce, time out on max_wait, and idle
consumers do not make the broker spin."""

import threading
import time

from confluent_kafka import OFFSET_BEGINNING, KafkaError, TopicPartition
from kafka import KafkaConsumer, KafkaProducer
from kafka import TopicPartition as KPTopicPartition

from kafkahelpers import ck_consumer, ck_produce, ck_producer, raw_fetch
from conftest import cpu_seconds


def create_empty_topic(broker, name, partitions=1):
    from confluent_kafka.admin import AdminClient, NewTopic
    from kafkahelpers import ck_common
    admin = AdminClient(ck_common(broker))  # must outlive the future
    fs = admin.create_topics([NewTopic(name, partitions, 1)], request_timeout=15)
    fs[name].result(timeout=20)


def test_raw_fetch_waits_max_wait_on_empty_partition(broker, topic_name):
    create_empty_topic(broker, topic_name)
    t0 = time.monotonic()
    res = raw_fetch(broker, topic_name, 0, 0, max_wait_ms=1000, min_bytes=1)
    elapsed = time.monotonic() - t0
    assert res.error_code == 0 and res.high_watermark == 0 and res.batches == [], res
    assert 0.9 <= elapsed <= 2.5, f"an empty fetch with max_wait 1000 ms returned after {elapsed:.3f}s"

    # With data available it answers at once, whatever max_wait says.
    ck_produce(ck_producer(broker), topic_name, [dict(partition=0, value=b"here")])
    t0 = time.monotonic()
    res = raw_fetch(broker, topic_name, 0, 0, max_wait_ms=5000, min_bytes=1)
    elapsed = time.monotonic() - t0
    assert res.high_watermark == 1 and sum(b.record_count for b in res.batches) == 1, res
    assert elapsed < 1.0, f"a fetch with data available took {elapsed:.3f}s"


def test_raw_fetch_is_woken_by_produce(broker, topic_name):
    create_empty_topic(broker, topic_name)
    result = {}

    def parked_fetch():
        t0 = time.monotonic()
        result["fetch"] = raw_fetch(broker, topic_name, 0, 0, max_wait_ms=10000, min_bytes=1, socket_timeout=20)
        result["returned"] = time.monotonic()
        result["waited"] = result["returned"] - t0

    t = threading.Thread(target=parked_fetch, daemon=True)
    t.start()
    time.sleep(0.7)
    assert t.is_alive(), f"the fetch returned before anything was produced: {result}"
    producer = ck_producer(broker, linger_ms=0)
    ck_produce(producer, topic_name, [dict(partition=0, value=b"wake up")])
    acked = time.monotonic()
    t.join(12)
    assert not t.is_alive(), "the parked fetch did not return within its max_wait"
    res = result["fetch"]
    assert sum(b.record_count for b in res.batches) == 1, res
    assert result["returned"] - acked < 1.0, (
        f"the parked fetch returned {result['returned'] - acked:.3f}s after the produce was acknowledged "
        f"(waited {result['waited']:.3f}s in all; max_wait was 10 s)")


def test_consumer_on_empty_topic_receives_record_from_other_client(broker, topic_name):
    create_empty_topic(broker, topic_name)
    # A long fetch.wait.max.ms: records must arrive because the broker wakes the parked fetch,
    # not because the fetch happened to time out.
    consumer = ck_consumer(broker, fetch_wait_max_ms=5000, socket_timeout_ms=15000)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, enable_idempotence=False, acks="all",
                             request_timeout_ms=10000)
    acks = {}
    errors = []

    def produce_later():
        try:
            for i in range(3):
                time.sleep(1.2)
                md = producer.send(topic_name, value=b"late-%d" % i, partition=0).get(timeout=10)
                acks[md.offset] = time.monotonic()
        except Exception as e:  # surfaced by the main thread
            errors.append(e)

    try:
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        # Let it start: it looks up the beginning, then parks a fetch on the empty partition
        # (the first record may still find it before that; the later ones cannot).
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:
            msg = consumer.poll(0.1)
            assert msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF), msg
        t = threading.Thread(target=produce_later, daemon=True)
        t.start()
        arrived = {}
        deadline = time.monotonic() + 20
        while len(arrived) < 3 and time.monotonic() < deadline:
            msg = consumer.poll(0.05)
            if msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF):
                continue
            assert not msg.error(), msg.error()
            arrived[msg.offset()] = (time.monotonic(), msg.value())
        t.join(15)
        assert not errors, errors
        assert sorted(arrived) == [0, 1, 2], arrived
        for off, (when, value) in arrived.items():
            assert value == b"late-%d" % off
            latency = when - acks[off]
            assert latency < 1.5, f"record {off} arrived {latency:.3f}s after its ack (fetch.wait.max.ms 5000)"
    finally:
        consumer.close()
        producer.close(timeout=5)


def test_idle_consumers_do_not_spin(broker, topic_name):
    create_empty_topic(broker, topic_name)
    ck = ck_consumer(broker, fetch_wait_max_ms=500)
    kp = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                       fetch_max_wait_ms=500, request_timeout_ms=10000)
    try:
        ck.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        tp = KPTopicPartition(topic_name, 0)
        kp.assign([tp])
        kp.seek_to_beginning(tp)

        def idle_for(seconds):
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                msg = ck.poll(0.1)
                assert msg is None or (msg.error() and msg.error().code() == KafkaError._PARTITION_EOF), msg
                assert kp.poll(timeout_ms=100) == {}

        idle_for(1.0)   # both are connected and long-polling now
        before, t0 = cpu_seconds(broker.pid), time.monotonic()
        idle_for(2.5)
        used, wall = cpu_seconds(broker.pid) - before, time.monotonic() - t0
        print(f"\nidle CPU: {used:.3f}s in {wall:.1f}s")
        assert used < 0.5, f"the broker used {used:.2f}s of CPU in {wall:.1f}s with two idle consumers"
    finally:
        ck.close()
        kp.close()


def test_parked_fetch_on_deleted_topic_and_out_of_range(broker, topic_name):
    """Fetch error paths: offset out of range (1), a parked fetch whose topic is deleted, and a
    fetch on a topic that no longer exists (3). The broker must answer and keep running."""
    from confluent_kafka.admin import AdminClient
    from kafkahelpers import ck_common
    create_empty_topic(broker, topic_name)
    ck_produce(ck_producer(broker), topic_name, [dict(partition=0, value=b"only")])

    res = raw_fetch(broker, topic_name, 0, 5, max_wait_ms=100)
    assert res.error_code == 1 and res.batches == [], f"fetch past the end: {res}"  # OFFSET_OUT_OF_RANGE
    assert raw_fetch(broker, topic_name, 7, 0, max_wait_ms=100).error_code == 3     # no such partition

    result = {}

    def parked():
        t0 = time.monotonic()
        try:
            result["fetch"] = raw_fetch(broker, topic_name, 0, 1, max_wait_ms=8000, min_bytes=1, socket_timeout=20)
        except Exception as e:
            result["error"] = e
        result["took"] = time.monotonic() - t0

    t = threading.Thread(target=parked, daemon=True)
    t.start()
    time.sleep(0.5)
    admin = AdminClient(ck_common(broker))
    admin.delete_topics([topic_name], request_timeout=15)[topic_name].result(timeout=20)
    t.join(15)
    assert not t.is_alive(), "the parked fetch on the deleted topic never returned"
    print(f"\nparked fetch on a deleted topic returned after {result['took']:.2f}s: {result.get('fetch')}")
    assert "error" not in result, f"the parked fetch failed: {result}"
    assert result["fetch"].batches == [], result
    assert result["fetch"].error_code in (0, 3), result

    after = raw_fetch(broker, topic_name, 0, 0, max_wait_ms=100)
    assert after.error_code == 3 and after.batches == [], f"fetch on a deleted topic: {after}"
    assert broker.running
