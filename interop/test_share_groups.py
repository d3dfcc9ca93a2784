"""Share groups (KIP-932) with confluent-kafka 2.16's ShareConsumer (librdkafka): consumers
sharing partitions, explicit release/reject, lock expiry after a consumer dies, the delivery
count limit, and a broker SIGKILL that must not redeliver accepted records.

kaffeed runs with --share-groups true (the feature is still a preview, off by default) and a
1 s minimum record lock so lock expiry can be tested quickly."""

import signal
import threading
import time
import uuid

from confluent_kafka import AcknowledgeType, Producer, ShareConsumer
from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource

from grouphelpers import create_topic
from kafkahelpers import ck_common, wait_until

BROKER_ARGS = ["--share-groups", "true", "--durability", "always",
               "--config", "group.share.min.record.lock.duration.ms=1000"]


def configure_group(broker, group, **configs):
    admin = AdminClient(ck_common(broker))
    entries = [ConfigEntry(k.replace("_", "."), str(v), incremental_operation=AlterConfigOpType.SET) for k, v in configs.items()]
    resource = ConfigResource("GROUP", group, incremental_configs=entries)
    admin.incremental_alter_configs([resource])[resource].result(10)


def share_consumer(broker, group, topic, **conf):
    c = dict(ck_common(broker))
    c.update({"group.id": group})
    c.update({k.replace("_", "."): v for k, v in conf.items()})
    consumer = ShareConsumer(c)
    consumer.subscribe([topic])
    return consumer


def produce(broker, topic, values, partitions=2, per_batch=None):
    """Produces `values` round robin over the partitions; with `per_batch`, flushes after every
    that many records, so the log holds small batches (as orders arriving over time would)."""
    p = Producer(ck_common(broker))
    for i, v in enumerate(values):
        p.produce(topic, value=v.encode(), partition=i % partitions)
        if per_batch and (i + 1) % per_batch == 0:
            assert p.flush(20) == 0
    assert p.flush(20) == 0


def poll_values(consumer, timeout=1.0):
    out = []
    for m in consumer.poll(timeout):
        assert m.error() is None, m.error()
        out.append(m)
    return out


def new_group():
    return f"share-{uuid.uuid4().hex[:8]}"


def one_partition_queue(broker, topic, values, **group_configs):
    """A 1-partition topic holding `values` and a fresh share group reading it from the start
    (with `group_configs` on top); returns the group id."""
    group = new_group()
    create_topic(broker, topic, partitions=1)
    configure_group(broker, group, share_auto_offset_reset="earliest", **group_configs)
    produce(broker, topic, values, partitions=1)
    return group


def test_four_consumers_share_two_partitions_exactly_once(broker):
    topic, group = "share-work", new_group()
    create_topic(broker, topic, partitions=2)
    configure_group(broker, group, share_auto_offset_reset="earliest")
    values = [f"drink-{i:03d}" for i in range(200)]
    consumers = [share_consumer(broker, group, topic, max_poll_records=5) for _ in range(4)]
    got = {i: [] for i in range(4)}
    stop = threading.Event()
    errors = []

    def run(i):
        try:
            while not stop.is_set():
                for m in poll_values(consumers[i], 0.2):
                    got[i].append(m.value().decode())
                    time.sleep(0.002)   # some work per drink, so the others get a turn
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        # Small batches: a share fetch acquires whole batches (batch-optimized acquisition).
        produce(broker, topic, values, per_batch=4)
        wait_until(lambda: sum(len(v) for v in got.values()) >= len(values) or errors, 60, "all records consumed")
    finally:
        stop.set()
        for t in threads:
            t.join(20)
        for c in consumers:
            c.close()
    assert not errors, errors
    everything = [v for vs in got.values() for v in vs]
    assert sorted(everything) == sorted(values), "every record exactly once"
    assert all(len(v) > 0 for v in got.values()), {i: len(v) for i, v in got.items()}


def test_release_redelivers_with_count_two_and_reject_does_not(broker):
    topic = "share-acks"
    group = one_partition_queue(broker, topic, ["keep", "again", "bad"])
    c = share_consumer(broker, group, topic, share_acknowledgement_mode="explicit")
    try:
        first = []
        wait_until(lambda: first.extend(poll_values(c, 0.5)) or len(first) >= 3, 20, "three records")
        by_value = {m.value(): m for m in first}
        assert all(m.delivery_count() == 1 for m in first)
        c.acknowledge(by_value[b"keep"], AcknowledgeType.ACCEPT)
        c.acknowledge(by_value[b"again"], AcknowledgeType.RELEASE)
        c.acknowledge(by_value[b"bad"], AcknowledgeType.REJECT)
        c.commit_sync(10)
        second = []
        wait_until(lambda: second.extend(poll_values(c, 0.5)) or len(second) >= 1, 20, "the released record")
        assert [(m.value(), m.delivery_count()) for m in second] == [(b"again", 2)]
        c.acknowledge(second[0], AcknowledgeType.ACCEPT)
        c.commit_sync(10)
        assert poll_values(c, 1.5) == []
    finally:
        c.close()


def test_records_of_a_dead_consumer_come_back_after_the_lock(broker):
    topic = "share-dead"
    group = one_partition_queue(broker, topic, [f"order-{i}" for i in range(5)], share_record_lock_duration_ms=2000)
    holder = share_consumer(broker, group, topic, share_acknowledgement_mode="explicit")
    held = []
    wait_until(lambda: held.extend(poll_values(holder, 0.5)) or len(held) >= 5, 20, "records held")
    # The holder dies without acknowledging or leaving: its records return when the lock expires.
    taker = share_consumer(broker, group, topic)
    try:
        got = []
        wait_until(lambda: got.extend(poll_values(taker, 0.5)) or len(got) >= 5, 30, "records after the lock expired")
        assert sorted(m.value() for m in got) == sorted(m.value() for m in held)
        assert all(m.delivery_count() == 2 for m in got)
    finally:
        taker.close()
        del holder   # never closed: it "died"


def test_delivery_count_limit_archives_a_record(broker):
    topic = "share-limit"
    group = one_partition_queue(broker, topic, ["poison", "fine"])
    c = share_consumer(broker, group, topic, share_acknowledgement_mode="explicit")
    counts = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            for m in poll_values(c, 0.5):
                if m.value() == b"poison":
                    counts.append(m.delivery_count())
                    c.acknowledge(m, AcknowledgeType.RELEASE)
                else:
                    c.acknowledge(m, AcknowledgeType.ACCEPT)
            c.commit_sync(10)
            if len(counts) >= 5:
                break
        # Delivered five times (group.share.delivery.count.limit), then archived: never again.
        assert counts == [1, 2, 3, 4, 5]
        assert poll_values(c, 1.5) == []
    finally:
        c.close()


def test_broker_sigkill_does_not_redeliver_accepted_records(broker):
    topic = "share-crash"
    group = one_partition_queue(broker, topic, [f"cup-{i}" for i in range(10)], share_record_lock_duration_ms=2000)
    c = share_consumer(broker, group, topic, share_acknowledgement_mode="explicit")
    accepted, pending = [], []
    try:
        wait_until(lambda: pending.extend(poll_values(c, 0.5)) or len(pending) >= 10, 20, "ten records")
        for m in pending[:6]:
            c.acknowledge(m, AcknowledgeType.ACCEPT)
            accepted.append(m.value())
        for m in pending[6:]:
            c.acknowledge(m, AcknowledgeType.RELEASE)
        c.commit_sync(10)
    finally:
        c.close()
    broker.restart(signal.SIGKILL)
    after = share_consumer(broker, group, topic)
    try:
        got = []
        wait_until(lambda: got.extend(poll_values(after, 0.5)) or len(got) >= 4, 30, "the released records after the crash")
        assert not (set(m.value() for m in got) & set(accepted)), "an accepted record came back after a crash"
        assert sorted(m.value() for m in got) == sorted(m.value() for m in pending[6:])
        assert poll_values(after, 1.0) == []
    finally:
        after.close()
