"""aiokafka 0.14 (asyncio; ApiVersions v0, old request versions: Produce 7, Fetch 11,
ListOffsets 3, Metadata 5, CreateTopics/DeleteTopics 3)."""

import asyncio

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from kafkahelpers import Rec, assert_same_records, kcat_consume_all, now_ms, raw_fetch


def run(coro, timeout=45):
    return asyncio.run(asyncio.wait_for(coro, timeout))


def make_producer(broker, **kw):
    return AIOKafkaProducer(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000,
                            retry_backoff_ms=50, **kw)


def make_consumer(broker, **kw):
    return AIOKafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, enable_auto_commit=False,
                            auto_offset_reset="earliest", request_timeout_ms=10000,
                            fetch_max_wait_ms=200, check_crcs=True, retry_backoff_ms=50, **kw)


def ak_rec(r) -> Rec:
    return Rec(r.partition, r.offset, r.key, r.value, tuple(r.headers or ()), r.timestamp)


async def consume(consumer, expected_count, timeout=20.0):
    got = []
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(got) < expected_count and loop.time() < deadline:
        batches = await consumer.getmany(timeout_ms=200)
        for recs in batches.values():
            got.extend(ak_rec(r) for r in recs)
    return got


def test_admin_create_and_delete(broker, topic_name):
    async def body():
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000)
        await admin.start()
        try:
            resp = await admin.create_topics([NewTopic(topic_name, num_partitions=2, replication_factor=1)])
            errors = [(t[0], t[1]) for t in resp.topic_errors]
            assert errors == [(topic_name, 0)], resp
            assert topic_name in await admin.list_topics()
            (desc,) = await admin.describe_topics([topic_name])
            assert desc["error_code"] == 0 and sorted(p["partition"] for p in desc["partitions"]) == [0, 1], desc

            resp = await admin.create_topics([NewTopic(topic_name, num_partitions=2, replication_factor=1)])
            assert [(t[0], t[1]) for t in resp.topic_errors] == [(topic_name, 36)], resp  # TOPIC_ALREADY_EXISTS

            resp = await admin.delete_topics([topic_name])
            assert [tuple(t) for t in resp.topic_error_codes] == [(topic_name, 0)], resp
            assert topic_name not in await admin.list_topics()
        finally:
            await admin.close()
    run(body())


def test_send_and_wait_then_consume_back(broker, topic_name):
    base = now_ms() - 30_000

    async def body():
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000)
        await admin.start()
        try:
            await admin.create_topics([NewTopic(topic_name, num_partitions=3, replication_factor=1)])
        finally:
            await admin.close()
        producer = make_producer(broker, acks="all")
        await producer.start()
        sent = []
        try:
            for i in range(40):
                kw = dict(key=b"ak-%d" % (i % 6), value=b"aiokafka value %d " % i * (1 + i % 5),
                          headers=[("n", b"%d" % i), ("n", b"again")], timestamp_ms=base + 100 * i)
                if i % 4 == 0:
                    kw["partition"] = 1
                if i == 9:
                    kw["value"] = None
                md = await producer.send_and_wait(topic_name, **kw)
                sent.append((kw, md))
        finally:
            await producer.stop()

        parts = {md.partition for _, md in sent}
        expected, next_offset = [], {p: 0 for p in parts}
        for kw, md in sent:
            if "partition" in kw:
                assert md.partition == 1
            assert md.offset == next_offset[md.partition], (md, next_offset)
            assert md.timestamp == kw["timestamp_ms"], md
            next_offset[md.partition] += 1
            expected.append(Rec(md.partition, md.offset, kw["key"], kw["value"], tuple(kw["headers"]),
                                kw["timestamp_ms"]))

        consumer = make_consumer(broker)
        await consumer.start()
        try:
            tps = [TopicPartition(topic_name, p) for p in range(3)]
            consumer.assign(tps)
            await consumer.seek_to_beginning()
            got = await consume(consumer, len(expected))
            assert_same_records(got, expected)

            assert await consumer.beginning_offsets(tps) == {tp: 0 for tp in tps}
            assert await consumer.end_offsets(tps) == {tp: next_offset.get(tp.partition, 0) for tp in tps}
            tp1 = TopicPartition(topic_name, 1)
            mine = [e for e in expected if e.partition == 1]
            for ts in (base - 1, mine[3].timestamp, mine[3].timestamp + 1, mine[-1].timestamp + 1):
                later = [e for e in mine if e.timestamp >= ts]
                want = (later[0].offset, later[0].timestamp) if later else None
                res = (await consumer.offsets_for_times({tp1: ts}))[tp1]
                assert (None if res is None else (res.offset, res.timestamp)) == want, ts
        finally:
            await consumer.stop()
    run(body())


@pytest.mark.parametrize("codec", ["gzip", "snappy", "lz4", "zstd"])
def test_compressed_send(broker, topic_name, codec):
    values = [b"aio %s %d " % (codec.encode(), i) * 50 for i in range(25)]

    async def body():
        producer = make_producer(broker, compression_type=codec, linger_ms=50)
        await producer.start()
        try:
            futs = [await producer.send(topic_name, value=v, key=b"k", partition=0) for v in values]
            mds = await asyncio.gather(*futs)
        finally:
            await producer.stop()
        assert [md.offset for md in mds] == list(range(25))
        consumer = make_consumer(broker)
        await consumer.start()
        try:
            consumer.assign([TopicPartition(topic_name, 0)])
            await consumer.seek_to_beginning()
            return await consume(consumer, 25)
        finally:
            await consumer.stop()

    got = run(body())
    expected = [Rec(0, i, b"k", v) for i, v in enumerate(values)]
    assert_same_records(got, expected, compare_ts=False)
    assert_same_records(kcat_consume_all(broker, topic_name), expected, compare_ts=False)
    assert {b.codec for b in raw_fetch(broker, topic_name, 0, 0).batches} == {codec}
