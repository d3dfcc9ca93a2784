"""Transactions (KIP-98/447) with confluent-kafka (librdkafka 2.16): commit and abort as seen by
read_committed and read_uncommitted consumers, an open transaction holding the last stable
offset, zombie fencing, consume-transform-produce with send_offsets_to_transaction, and the
coordinator aborting a transaction that outlives its timeout."""

import time
import uuid

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from grouphelpers import create_topic
from kafkahelpers import ck_consumer, ck_producer, wait_until

# Timed-out transactions are looked for every 200 ms (Kafka's default is 10 s).
BROKER_ARGS = ["--default-partitions", "2", "--transaction-abort-interval-ms", "200", "--group-initial-rebalance-delay-ms", "0"]


def txn_producer(broker, tid=None, **conf):
    conf.setdefault("transactional.id", tid or f"tx-{uuid.uuid4().hex[:8]}")
    conf.setdefault("transaction.timeout.ms", 30000)
    p = ck_producer(broker, **conf)
    p.init_transactions(20)
    return p


def produce_values(producer, topic, values, partition=None):
    for v in values:
        if partition is None:
            producer.produce(topic, value=v.encode())
        else:
            producer.produce(topic, value=v.encode(), partition=partition)
    assert producer.flush(20) == 0


def read_all(broker, topic, isolation, partitions=2, expect=None, timeout=20.0):
    """Every data record of `topic` from the start, as (partition, offset, value); reads until
    each partition reported EOF (and at least `expect` records arrived, if given)."""
    c = ck_consumer(broker, **{"isolation.level": isolation})
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got, eof = [], set()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if len(eof) >= partitions and (expect is None or len(got) >= expect):
                break
            msg = c.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    eof.add(msg.partition())
                    continue
                raise AssertionError(f"consumer error: {msg.error()}")
            eof.discard(msg.partition())
            got.append((msg.partition(), msg.offset(), msg.value().decode()))
    finally:
        c.close()
    return got


def values(records):
    return sorted(v for _, _, v in records)


def test_commit_and_abort_seen_by_isolation_level(broker):
    topic = "txn-basic"
    create_topic(broker, topic, partitions=2)
    p = txn_producer(broker)
    p.begin_transaction()
    produce_values(p, topic, [f"c1-{i}" for i in range(10)])
    p.commit_transaction(20)
    p.begin_transaction()
    produce_values(p, topic, [f"a-{i}" for i in range(5)])
    p.abort_transaction(20)
    p.begin_transaction()
    produce_values(p, topic, [f"c2-{i}" for i in range(3)])
    p.commit_transaction(20)

    committed = sorted([f"c1-{i}" for i in range(10)] + [f"c2-{i}" for i in range(3)])
    rc = read_all(broker, topic, "read_committed", expect=13)
    assert values(rc) == committed
    ru = read_all(broker, topic, "read_uncommitted", expect=18)
    assert values(ru) == sorted(committed + [f"a-{i}" for i in range(5)])
    # Offsets skip the control records (one marker per partition per transaction).
    for part in range(2):
        offsets = [o for pp, o, _ in ru if pp == part]
        assert offsets == sorted(offsets)
        assert len(set(offsets)) == len(offsets)


def test_open_transaction_holds_read_committed_readers(broker):
    topic = "txn-lso"
    create_topic(broker, topic, partitions=1)
    plain = ck_producer(broker)
    produce_values(plain, topic, ["before"], partition=0)
    p = txn_producer(broker)
    p.begin_transaction()
    produce_values(p, topic, ["open-1", "open-2"], partition=0)
    # Written after the open transaction: also held back from read_committed readers.
    produce_values(plain, topic, ["after"], partition=0)

    c = ck_consumer(broker, **{"isolation.level": "read_committed", "enable.partition.eof": False})
    c.assign([TopicPartition(topic, 0, 0)])
    seen = []

    def poll_some(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            msg = c.poll(0.1)
            if msg is not None and not msg.error():
                seen.append(msg.value().decode())

    try:
        wait_until(lambda: (poll_some(0.2), "before" in seen)[1], 15, "the record before the transaction")
        # The reader waits at the last stable offset while the transaction is open.
        poll_some(1.5)
        assert seen == ["before"]
        # ListOffsets "latest": the last stable offset for read_committed, the high watermark
        # (past the open transaction and the record after it) for read_uncommitted.
        assert c.get_watermark_offsets(TopicPartition(topic, 0), timeout=5)[1] == 1
        probe = ck_consumer(broker, **{"isolation.level": "read_uncommitted"})
        assert probe.get_watermark_offsets(TopicPartition(topic, 0), timeout=5)[1] == 4
        probe.close()
        p.commit_transaction(20)
        wait_until(lambda: (poll_some(0.2), len(seen) >= 4)[1], 15, "the records after the commit")
        assert seen == ["before", "open-1", "open-2", "after"]
    finally:
        c.close()


def test_zombie_is_fenced_and_its_open_data_never_visible(broker):
    topic = "txn-zombie"
    create_topic(broker, topic, partitions=2)
    tid = "zombie-tid"
    old = txn_producer(broker, tid)
    old.begin_transaction()
    produce_values(old, topic, ["zombie-open-1", "zombie-open-2"])
    new = txn_producer(broker, tid)   # fences `old` and aborts its open transaction
    with pytest.raises(KafkaException) as failure:
        old.produce(topic, value=b"zombie-late")
        old.flush(10)
        old.commit_transaction(10)
    err = failure.value.args[0]
    assert err.fatal() or err.code() in (KafkaError._FENCED, KafkaError.PRODUCER_FENCED, KafkaError.INVALID_PRODUCER_EPOCH), err
    new.begin_transaction()
    produce_values(new, topic, ["new-1"])
    new.commit_transaction(20)
    rc = read_all(broker, topic, "read_committed", expect=1)
    assert values(rc) == ["new-1"]
    ru = values(read_all(broker, topic, "read_uncommitted", expect=3))
    assert "zombie-open-1" in ru and "new-1" in ru
    assert "zombie-late" not in ru


def test_consume_transform_produce_moves_outputs_and_offsets_together(broker):
    src, dst, group = "ctp-in", "ctp-out", "ctp-group"
    create_topic(broker, src, partitions=2)
    create_topic(broker, dst, partitions=2)
    plain = ck_producer(broker)
    inputs = [f"in-{i:03d}" for i in range(40)]
    produce_values(plain, src, inputs[0::2], partition=0)
    produce_values(plain, src, inputs[1::2], partition=1)

    def make_consumer():
        c = ck_consumer(broker, **{"group.id": group, "isolation.level": "read_committed",
                                   "enable.partition.eof": True, "auto.offset.reset": "earliest"})
        c.subscribe([src])
        return c

    p = txn_producer(broker, "ctp-tid")
    c = make_consumer()
    try:
        # A first pass that aborts: neither outputs nor offsets may survive it.
        batch = []
        wait_until(lambda: (batch.extend(m for m in [c.poll(0.2)] if m is not None and not m.error()), len(batch) >= 5)[1],
                   20, "input records")
        p.begin_transaction()
        for m in batch:
            p.produce(dst, value=m.value().replace(b"in-", b"out-"))
        p.send_offsets_to_transaction(c.position(c.assignment()), c.consumer_group_metadata(), 20)
        p.abort_transaction(20)
        committed = c.committed([TopicPartition(src, 0), TopicPartition(src, 1)], timeout=10)
        assert all(tp.offset < 0 for tp in committed), committed
    finally:
        c.close()

    # Start again from the committed (none: earliest) offsets and process everything.
    c = make_consumer()
    processed = 0
    try:
        deadline = time.monotonic() + 40
        while processed < len(inputs) and time.monotonic() < deadline:
            msgs = [m for m in c.consume(10, 0.5) if not m.error()]
            if not msgs:
                continue
            p.begin_transaction()
            for m in msgs:
                p.produce(dst, value=m.value().replace(b"in-", b"out-"))
            p.send_offsets_to_transaction(c.position(c.assignment()), c.consumer_group_metadata(), 20)
            p.commit_transaction(20)
            processed += len(msgs)
        assert processed == len(inputs)
        committed = c.committed([TopicPartition(src, 0), TopicPartition(src, 1)], timeout=10)
    finally:
        c.close()
    ends = {}
    for part in range(2):
        probe = ck_consumer(broker)
        ends[part] = probe.get_watermark_offsets(TopicPartition(src, part), timeout=5)[1]
        probe.close()
    assert {tp.partition: tp.offset for tp in committed} == ends
    out = values(read_all(broker, dst, "read_committed", expect=len(inputs)))
    assert out == sorted(v.replace("in-", "out-") for v in inputs), "every input once in the output, no aborted one"


def test_coordinator_aborts_a_transaction_past_its_timeout(broker):
    topic = "txn-timeout"
    create_topic(broker, topic, partitions=1)
    slow = txn_producer(broker, "slow-tid", **{"transaction.timeout.ms": 1500, "socket.timeout.ms": 1500, "message.timeout.ms": 1500})
    slow.begin_transaction()
    produce_values(slow, topic, ["slow-1"], partition=0)
    plain = ck_producer(broker)
    produce_values(plain, topic, ["later"], partition=0)
    # Once the coordinator aborts the expired transaction, the last stable offset moves on and
    # a read_committed reader gets the later record, never the expired one.
    rc = read_all(broker, topic, "read_committed", partitions=1, expect=1, timeout=20)
    assert values(rc) == ["later"]
    with pytest.raises(KafkaException):
        slow.commit_transaction(10)
