"""Many partitions under the usual file limit (issue 12): a kaffeed started with `ulimit -n 1024`
creates a 2,000-partition topic, takes records on a few partitions and serves them back, across
a clean restart and a SIGKILL, with its open descriptors bounded; a CreateTopics asking for a
million partitions is refused at once with INVALID_PARTITIONS while other clients carry on."""

from __future__ import annotations

import os
import signal
import stat

import pytest
from confluent_kafka import OFFSET_BEGINNING, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from kafka import KafkaAdminClient
from kafka import errors as Errors

from conftest import Broker, _LIVE_BROKERS, _finish, broker_binary
from kafkahelpers import ck_common, ck_consume, ck_consumer, ck_produce, ck_producer

PARTITIONS = 2000
SAMPLED = (0, 999, 1999)


@pytest.fixture(scope="module")
def limited_broker(tmp_path_factory):
    """A kaffeed whose soft and hard file limits are both 1024 (so it cannot raise them)."""
    base = tmp_path_factory.mktemp("many_partitions")
    wrapper = base / "kaffeed-ulimit-1024"
    wrapper.write_text(f'#!/bin/sh\nulimit -n 1024 || exit 97\nexec "{broker_binary()}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    data = base / "data"
    data.mkdir()
    broker = Broker(data, base)
    broker.binary = wrapper
    broker.start()
    _LIVE_BROKERS.append(broker)
    yield broker
    _finish(broker)


def open_descriptors(broker) -> int:
    return len(os.listdir(f"/proc/{broker.pid}/fd"))


def file_limit(broker) -> int:
    with open(f"/proc/{broker.pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                return int(line.split()[3])
    raise AssertionError("no 'Max open files' in /proc/PID/limits")


def read_back(broker, topic: str) -> dict[int, list[bytes]]:
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in SAMPLED])
        got = ck_consume(consumer, 2 * len(SAMPLED), timeout=30, eof_partitions=len(SAMPLED))
    finally:
        consumer.close()
    values: dict[int, list[bytes]] = {p: [] for p in SAMPLED}
    for rec in got:
        values[rec.partition].append(rec.value)
    return values


def test_a_2000_partition_topic_under_ulimit_1024(limited_broker):
    broker = limited_broker
    assert file_limit(broker) == 1024
    assert "open files limit: soft 1024 (already the hard limit), hard 1024" in broker.log_text()

    admin = AdminClient(ck_common(broker))
    admin.create_topics([NewTopic("wide", PARTITIONS, 1)], operation_timeout=60)["wide"].result(timeout=90)
    metadata = admin.list_topics(topic="wide", timeout=30)
    assert len(metadata.topics["wide"].partitions) == PARTITIONS
    assert open_descriptors(broker) < 300, "creating partitions keeps no file open"

    producer = ck_producer(broker)
    records = [dict(partition=p, value=b"value-%d-%d" % (p, i)) for p in SAMPLED for i in range(2)]
    reports = ck_produce(producer, "wide", records)
    assert all(err is None for err, *_ in reports), reports
    expected = {p: [b"value-%d-0" % p, b"value-%d-1" % p] for p in SAMPLED}
    assert read_back(broker, "wide") == expected
    # Touch every partition once: descriptors stay bounded by the segment file cache (256).
    ck_produce(producer, "wide", [dict(partition=p, value=b"x") for p in range(PARTITIONS) if p not in SAMPLED])
    assert open_descriptors(broker) < 400

    broker.restart(signal.SIGTERM)
    assert "stopped cleanly" in broker.log_text(-2)
    assert read_back(broker, "wide") == expected
    broker.restart(signal.SIGKILL)
    assert file_limit(broker) == 1024
    assert read_back(broker, "wide") == expected
    assert open_descriptors(broker) < 400


def test_a_million_partitions_is_refused_and_others_carry_on(limited_broker):
    # librdkafka refuses more than 100,000 partitions client-side; kafka-python sends them.
    broker = limited_broker
    client = KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="interop-many", request_timeout_ms=10000)
    try:
        with pytest.raises(Errors.InvalidPartitionsError) as refused:
            client.create_topics({"absurd": {"num_partitions": 1_000_000, "replication_factor": 1}}, timeout_ms=10000)
        assert "Number of partitions 1000000 is above the maximum of 100000 per topic." in str(refused.value)
    finally:
        client.close()
    admin = AdminClient(ck_common(broker))
    assert "absurd" not in admin.list_topics(timeout=30).topics
    # The broker goes on serving: a topic created and written right after.
    admin.create_topics([NewTopic("after-absurd", 3, 1)], operation_timeout=30)["after-absurd"].result(timeout=30)
    reports = ck_produce(ck_producer(broker), "after-absurd", [dict(partition=2, value=b"after")])
    assert reports[0][0] is None
