"""Transactions with the pure-Python clients: aiokafka 0.14 (AIOKafkaProducer with
transactional_id, read_committed AIOKafkaConsumer, send_offsets_to_transaction) and
kafka-python 3 (KafkaProducer with transactional_id, isolation_level read_committed)."""

import asyncio
import time

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition as AkTopicPartition
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from grouphelpers import create_topic

BROKER_ARGS = ["--default-partitions", "2", "--group-initial-rebalance-delay-ms", "0"]


def run(coro, timeout=60):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def ak_read(broker, topic, isolation, expected, partitions=2, timeout=20.0):
    consumer = AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                                isolation_level=isolation, request_timeout_ms=10000, fetch_max_wait_ms=200,
                                retry_backoff_ms=50)
    await consumer.start()
    try:
        consumer.assign([AkTopicPartition(topic, p) for p in range(partitions)])
        for p in range(partitions):
            consumer.seek(AkTopicPartition(topic, p), 0)
        got = []
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(got) < expected and loop.time() < deadline:
            for recs in (await consumer.getmany(timeout_ms=200)).values():
                got.extend(r.value.decode() for r in recs)
        # Nothing more arrives (e.g. an aborted record slipping through) within a short grace.
        for recs in (await consumer.getmany(timeout_ms=500)).values():
            got.extend(r.value.decode() for r in recs)
        return sorted(got)
    finally:
        await consumer.stop()


def test_aiokafka_commit_abort_and_offsets(broker):
    topic, src, group = "ak-txn", "ak-txn-src", "ak-txn-group"
    create_topic(broker, topic, partitions=2)
    create_topic(broker, src, partitions=2)

    async def scenario():
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, transactional_id="ak-tid",
                                    request_timeout_ms=10000, retry_backoff_ms=50)
        await producer.start()
        try:
            async with producer.transaction():
                for i in range(6):
                    await producer.send(topic, f"commit-{i}".encode(), partition=i % 2)
            await producer.begin_transaction()
            for i in range(4):
                await producer.send(topic, f"abort-{i}".encode(), partition=i % 2)
            await producer.abort_transaction()
            # Offsets of a group move with the transaction.
            async with producer.transaction():
                await producer.send(topic, b"with-offsets", partition=0)
                await producer.send_offsets_to_transaction({AkTopicPartition(src, 0): 7, AkTopicPartition(src, 1): 3}, group)
        finally:
            await producer.stop()
        committed = await ak_read(broker, topic, "read_committed", 7)
        everything = await ak_read(broker, topic, "read_uncommitted", 11)
        return committed, everything

    committed, everything = run(scenario())
    assert committed == sorted([f"commit-{i}" for i in range(6)] + ["with-offsets"])
    assert everything == sorted([f"commit-{i}" for i in range(6)] + [f"abort-{i}" for i in range(4)] + ["with-offsets"])
    probe = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=group, enable_auto_commit=False,
                          request_timeout_ms=10000)
    try:
        assert probe.committed(TopicPartition(src, 0)) == 7
        assert probe.committed(TopicPartition(src, 1)) == 3
    finally:
        probe.close()


def test_kafka_python_commit_and_abort(broker):
    topic = "kp-txn"
    create_topic(broker, topic, partitions=2)
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, transactional_id="kp-tid", request_timeout_ms=10000,
                             retry_backoff_ms=50)
    try:
        producer.init_transactions()
        producer.begin_transaction()
        for i in range(5):
            producer.send(topic, f"commit-{i}".encode(), partition=i % 2)
        producer.commit_transaction()
        producer.begin_transaction()
        for i in range(3):
            producer.send(topic, f"abort-{i}".encode(), partition=i % 2)
        producer.flush()
        producer.abort_transaction()
    finally:
        producer.close(timeout=10)

    def read(isolation, expected):
        consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                                 isolation_level=isolation, fetch_max_wait_ms=200, request_timeout_ms=10000)
        try:
            parts = [TopicPartition(topic, p) for p in range(2)]
            consumer.assign(parts)
            consumer.seek_to_beginning(*parts)
            got = []
            deadline = time.monotonic() + 20
            while len(got) < expected and time.monotonic() < deadline:
                for recs in consumer.poll(timeout_ms=200).values():
                    got.extend(r.value.decode() for r in recs)
            for recs in consumer.poll(timeout_ms=500).values():
                got.extend(r.value.decode() for r in recs)
            return sorted(got)
        finally:
            consumer.close()

    assert read("read_committed", 5) == sorted(f"commit-{i}" for i in range(5))
    assert read("read_uncommitted", 8) == sorted([f"commit-{i}" for i in range(5)] + [f"abort-{i}" for i in range(3)])
