"""confluent-kafka 2.16 AdminClient against kaffeed's admin APIs (issue 11): CreatePartitions,
IncrementalAlterConfigs / AlterConfigs on topics, the broker and groups, DescribeConfigs with
sources and synonyms, DeleteRecords, OffsetDelete, DescribeCluster, Metadata, and refusals with
Kafka 4's codes and messages that change nothing.

Expected behaviour is Kafka 4.1's (KRaft, one node); see /tmp/research/configs.md and
compaction-and-admin.md for the sources. Client limits worked around here:
- librdkafka refuses a BROKER resource named "" (the cluster-wide default) client-side, and
  routes BROKER "<id>" requests to that node (an unknown id just times out). Those requests
  go out as raw IncrementalAlterConfigs/DescribeConfigs through kafka-python's connection.
- confluent-kafka-python 2.16 has no delete_consumer_group_offsets binding; OffsetDelete is
  sent with kafka-python's delete_group_offsets, against groups run by confluent consumers.
- confluent's ConfigEntry.synonyms is a dict keyed by name, so same-named synonyms at two
  sources collapse; full synonym lists are read with kafka-python.
"""

import time

import pytest
from confluent_kafka import (OFFSET_BEGINNING, OFFSET_END, TIMESTAMP_CREATE_TIME,
                             TIMESTAMP_LOG_APPEND_TIME, KafkaError, KafkaException, TopicPartition)
from confluent_kafka.admin import (AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource,
                                   ConfigSource, NewPartitions, NewTopic, ResourceType)

from kafkahelpers import ck_common, ck_consume, ck_consumer, ck_produce, ck_producer, now_ms, wait_until

# No initial rebalance delay: groups form at once. A static --config value, to see its source.
BROKER_ARGS = ["--group-initial-rebalance-delay-ms", "0", "--config", "log.cleaner.backoff.ms=250"]

SET, DELETE, APPEND, SUBTRACT = (AlterConfigOpType.SET, AlterConfigOpType.DELETE,
                                 AlterConfigOpType.APPEND, AlterConfigOpType.SUBTRACT)

# The 33 topic configs every Kafka 4.0/4.1 broker describes.
KAFKA_TOPIC_CONFIGS = {
    "segment.bytes", "segment.ms", "segment.jitter.ms", "segment.index.bytes", "flush.messages",
    "flush.ms", "retention.bytes", "retention.ms", "max.message.bytes", "index.interval.bytes",
    "delete.retention.ms", "min.compaction.lag.ms", "max.compaction.lag.ms", "file.delete.delay.ms",
    "min.cleanable.dirty.ratio", "cleanup.policy", "unclean.leader.election.enable",
    "min.insync.replicas", "compression.type", "compression.gzip.level", "compression.lz4.level",
    "compression.zstd.level", "preallocate", "message.timestamp.type",
    "message.timestamp.before.max.ms", "message.timestamp.after.max.ms",
    "leader.replication.throttled.replicas", "follower.replication.throttled.replicas",
    "remote.storage.enable", "local.retention.ms", "local.retention.bytes",
    "remote.log.copy.disable", "remote.log.delete.on.disable",
}


# ---------------------------------------------------------------- helpers

def admin_client(broker):
    return AdminClient(ck_common(broker))


def create_topic(admin, name, partitions, config=None):
    admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1, config=config or {})],
                        request_timeout=15)[name].result(timeout=20)


def error_of(exc_info):
    """(code, message) of a KafkaException raised by a future."""
    err = exc_info.value.args[0]
    return err.code(), err.str()


def describe(admin, rtype, name):
    """{config name: ConfigEntry} of one resource."""
    resource = ConfigResource(rtype, name)
    return admin.describe_configs([resource], request_timeout=15)[resource].result(timeout=20)


def topic_overrides(admin, topic):
    """The configs set on the topic itself (source DYNAMIC_TOPIC_CONFIG), name -> value."""
    return {k: e.value for k, e in describe(admin, ResourceType.TOPIC, topic).items()
            if e.source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value}


def incremental(admin, rtype, name, *ops, validate_only=False):
    """IncrementalAlterConfigs on one resource; ops are (name, value, AlterConfigOpType)."""
    resource = ConfigResource(rtype, name, incremental_configs=[
        ConfigEntry(k, v, incremental_operation=op) for k, v, op in ops])
    return admin.incremental_alter_configs([resource], request_timeout=15,
                                           validate_only=validate_only)[resource].result(timeout=20)


def incremental_many(admin, resources):
    """IncrementalAlterConfigs on several resources in one request: {(type, name): None | (code, message)}."""
    built = [ConfigResource(rtype, name, incremental_configs=[
        ConfigEntry(k, v, incremental_operation=op) for k, v, op in ops]) for rtype, name, ops in resources]
    futures = admin.incremental_alter_configs(built, request_timeout=15)
    out = {}
    for resource, future in futures.items():
        try:
            out[(resource.restype, resource.name)] = future.result(timeout=20)
        except KafkaException as e:
            out[(resource.restype, resource.name)] = (e.args[0].code(), e.args[0].str())
    return out


def refused(call, code, message):
    """Runs `call`, which must fail with Kafka error `code` and exactly `message`."""
    with pytest.raises(KafkaException) as exc:
        call()
    got = error_of(exc)
    assert got == (code, message), f"expected {(code, message)}, got {got}"


def synonyms(entry):
    return {name: (s.value, s.source) for name, s in entry.synonyms.items()}


def murmur2(data: bytes) -> int:
    """Java's org.apache.kafka.common.utils.Utils.murmur2 (the default partitioner's hash)."""
    m, r, mask = 0x5BD1E995, 24, 0xFFFFFFFF
    length = len(data)
    h = (0x9747B28C ^ length) & mask
    for i in range(0, length - length % 4, 4):
        k = int.from_bytes(data[i:i + 4], "little")
        k = (k * m) & mask
        k ^= k >> r
        k = (k * m) & mask
        h = (h * m) & mask
        h ^= k
    rest = length % 4
    tail = length - rest
    if rest == 3:
        h ^= data[tail + 2] << 16
    if rest >= 2:
        h ^= data[tail + 1] << 8
    if rest >= 1:
        h ^= data[tail]
        h = (h * m) & mask
    h ^= h >> 13
    h = (h * m) & mask
    h ^= h >> 15
    return h


def murmur2_partition(key: bytes, partitions: int) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


# ---- kafka-python for what librdkafka cannot send

KP_TIMEOUTS = dict(request_timeout_ms=10000, bootstrap_timeout_ms=10000,
                   reconnect_backoff_ms=50, reconnect_backoff_max_ms=500)


def kp_admin(broker):
    from kafka import KafkaAdminClient
    return KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="interop-admin-raw", **KP_TIMEOUTS)


def kp_send(kp, request):
    """Sends one protocol request over kafka-python's connection manager (any node)."""
    async def send():
        return await kp._manager.send(request)
    return kp._manager.run(send)


def raw_incremental(kp, rtype: int, name: str, ops):
    """Raw IncrementalAlterConfigs on one resource; ops are (name, op id, value). -> (code, message)."""
    from kafka.protocol.admin import IncrementalAlterConfigsRequest
    resp = kp_send(kp, IncrementalAlterConfigsRequest(resources=[(rtype, name, list(ops))], validate_only=False))
    (result,) = resp.responses
    assert (result.resource_type, result.resource_name) == (rtype, name), result
    return result.error_code, result.error_message


def raw_describe(kp, rtype: int, name: str, keys=None):
    """Raw DescribeConfigs with synonyms -> (code, message, {name: (value, source, read_only, [(syn name, value, source)])})."""
    from kafka.protocol.admin import DescribeConfigsRequest
    resp = kp_send(kp, DescribeConfigsRequest(resources=[(rtype, name, keys)], include_synonyms=True))
    (result,) = resp.results
    configs = {c.name: (c.value, c.config_source, c.read_only, [(s.name, s.value, s.source) for s in c.synonyms])
               for c in result.configs}
    return result.error_code, result.error_message, configs


# ---------------------------------------------------------------- CreatePartitions

def test_create_partitions_then_keys_follow_murmur2(broker, topic_name):
    """Keyed records land on murmur2(key) % partitions before and after CreatePartitions, with
    librdkafka's Java-compatible partitioner (murmur2_random; librdkafka's own default is a
    CRC32 one) and kafka-python's default partitioner alike; the new partitions take keys."""
    from kafka import KafkaProducer
    from kafka.partitioner.default import murmur2 as kp_murmur2

    keys = [b"customer-%03d" % i for i in range(200)]
    assert all(murmur2(k) == kp_murmur2(k) for k in keys), "the test's murmur2 disagrees with kafka-python's"
    admin = admin_client(broker)
    create_topic(admin, topic_name, 2)

    def produce_keys(tag, partitions):
        producer = ck_producer(broker, partitioner="murmur2_random", linger_ms=10)
        reports = ck_produce(producer, topic_name, [dict(key=k, value=b"%s-%d" % (tag, n)) for n in range(2) for k in keys])
        placed = {}
        for err, partition, _offset, _ts, key, _value in reports:
            assert err is None, err
            assert placed.setdefault(key, partition) == partition, f"{key!r} went to two partitions in one phase"
        assert placed == {k: murmur2_partition(k, partitions) for k in keys}
        return placed

    before = produce_keys(b"before", 2)
    assert set(before.values()) == {0, 1}

    # validate_only changes nothing.
    admin.create_partitions([NewPartitions(topic_name, 5)], validate_only=True, request_timeout=15)[topic_name].result(20)
    assert sorted(admin.list_topics(topic_name, timeout=10).topics[topic_name].partitions) == [0, 1]

    admin.create_partitions([NewPartitions(topic_name, 5)], request_timeout=15)[topic_name].result(20)
    md = admin.list_topics(topic_name, timeout=10)
    (node_id,) = md.brokers
    parts = md.topics[topic_name].partitions
    assert sorted(parts) == [0, 1, 2, 3, 4]
    for p in parts.values():
        assert (p.error, p.leader, p.replicas, p.isrs) == (None, node_id, [node_id], [node_id]), p
    probe = ck_consumer(broker)
    try:
        for p in (2, 3, 4):
            assert probe.get_watermark_offsets(TopicPartition(topic_name, p), timeout=10) == (0, 0)
    finally:
        probe.close()

    after = produce_keys(b"after", 5)
    assert {2, 3, 4} <= set(after.values()), f"new partitions got no keys: {sorted(set(after.values()))}"
    moved = sum(1 for k in keys if before[k] != after[k])
    assert moved > 50, f"only {moved} of 200 keys changed partition"

    # kafka-python's default partitioner agrees key by key.
    kp = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5, **KP_TIMEOUTS)
    try:
        futures = [(k, kp.send(topic_name, key=k, value=b"kafka-python")) for k in keys]
        kp.flush(timeout=20)
        assert {k: f.get(timeout=20).partition for k, f in futures} == after
    finally:
        kp.close(timeout=10)

    # What each partition holds, read back: every key only where murmur2 put it.
    consumer = ck_consumer(broker)
    try:
        consumer.assign([TopicPartition(topic_name, p, OFFSET_BEGINNING) for p in range(5)])
        got = ck_consume(consumer, 1000, eof_partitions=5)
    finally:
        consumer.close()
    assert len(got) == 1000
    for r in got:
        phase = r.value.split(b"-")[0]
        expected = before[r.key] if phase == b"before" else after[r.key]
        assert r.partition == expected, r.short()


def test_create_partitions_refusals_change_nothing(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 3)

    def grow(*new):
        return admin.create_partitions(list(new), request_timeout=15)

    refused(lambda: grow(NewPartitions(topic_name, 2))[topic_name].result(20), KafkaError.INVALID_PARTITIONS,
            f"The topic {topic_name} currently has 3 partition(s); 2 would not be an increase.")
    refused(lambda: grow(NewPartitions(topic_name, 3))[topic_name].result(20), KafkaError.INVALID_PARTITIONS,
            "Topic already has 3 partition(s).")
    refused(lambda: grow(NewPartitions(topic_name, 5, replica_assignment=[[0]]))[topic_name].result(20),
            KafkaError.INVALID_REPLICA_ASSIGNMENT,
            "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.")
    refused(lambda: grow(NewPartitions(topic_name, 5, replica_assignment=[[0], [7]]))[topic_name].result(20),
            KafkaError.INVALID_REPLICA_ASSIGNMENT,
            "The manual partition assignment includes broker 7, but no such broker is registered.")
    refused(lambda: grow(NewPartitions(topic_name, 4, replica_assignment=[[0, 0]]))[topic_name].result(20),
            KafkaError.INVALID_REPLICA_ASSIGNMENT,
            "The manual partition assignment includes the broker 0 more than once.")
    assert sorted(admin.list_topics(topic_name, timeout=10).topics[topic_name].partitions) == [0, 1, 2]

    # Topics of one request are independent: the unknown one fails, the other grows.
    missing = topic_name + "-missing"
    futures = grow(NewPartitions(topic_name, 4, replica_assignment=[[0]]), NewPartitions(missing, 2))
    futures[topic_name].result(20)
    with pytest.raises(KafkaException) as exc:
        futures[missing].result(20)
    assert exc.value.args[0].code() == KafkaError.UNKNOWN_TOPIC_OR_PART, exc.value
    md = admin.list_topics(timeout=10)
    assert sorted(md.topics[topic_name].partitions) == [0, 1, 2, 3]
    assert missing not in md.topics


# ---------------------------------------------------------------- IncrementalAlterConfigs

def test_incremental_alter_configs_on_a_topic(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 1, {"retention.ms": "3600000", "max.message.bytes": "500000"})
    assert topic_overrides(admin, topic_name) == {"retention.ms": "3600000", "max.message.bytes": "500000"}

    incremental(admin, ResourceType.TOPIC, topic_name,
                ("segment.ms", "7200000", SET), ("retention.ms", None, DELETE), ("cleanup.policy", "compact", APPEND))
    entries = describe(admin, ResourceType.TOPIC, topic_name)
    # APPEND to an unset list starts from the default ("delete"), as in Kafka.
    assert topic_overrides(admin, topic_name) == {"segment.ms": "7200000", "max.message.bytes": "500000",
                                                  "cleanup.policy": "delete,compact"}
    e = entries["retention.ms"]
    assert (e.value, e.source, e.is_default) == ("604800000", ConfigSource.DEFAULT_CONFIG.value, True), e
    e = entries["cleanup.policy"]
    assert (e.value, e.source, e.is_default, e.is_read_only) == ("delete,compact", ConfigSource.DYNAMIC_TOPIC_CONFIG.value, False, False)
    assert synonyms(e) == {"cleanup.policy": ("delete,compact", ConfigSource.DYNAMIC_TOPIC_CONFIG.value),
                           "log.cleanup.policy": ("delete", ConfigSource.DEFAULT_CONFIG.value)}

    incremental(admin, ResourceType.TOPIC, topic_name, ("cleanup.policy", "delete", SUBTRACT))
    assert topic_overrides(admin, topic_name)["cleanup.policy"] == "compact"
    # APPEND of a value already there adds nothing.
    incremental(admin, ResourceType.TOPIC, topic_name, ("cleanup.policy", "compact", APPEND))
    assert topic_overrides(admin, topic_name)["cleanup.policy"] == "compact"
    # DELETE of a key that is not set (even an unknown one) is a no-op, as in Kafka.
    incremental(admin, ResourceType.TOPIC, topic_name, ("retention.ms", None, DELETE), ("no.such.config", None, DELETE))

    expected = {"segment.ms": "7200000", "max.message.bytes": "500000", "cleanup.policy": "compact"}
    assert topic_overrides(admin, topic_name) == expected

    # validate_only: accepted, not applied.
    incremental(admin, ResourceType.TOPIC, topic_name, ("segment.ms", "1000", SET), validate_only=True)
    assert topic_overrides(admin, topic_name) == expected

    # All or nothing within a resource: one bad op and the good ones are not applied either.
    refused(lambda: incremental(admin, ResourceType.TOPIC, topic_name, ("segment.ms", "1000", SET),
                                ("retention.ms", "5", APPEND)),
            KafkaError.INVALID_CONFIG, "Can't APPEND to key retention.ms because its type is not LIST.")
    refused(lambda: incremental(admin, ResourceType.TOPIC, topic_name, ("segment.ms", "1000", SET),
                                ("segment.bytes", "x", SET)),
            KafkaError.INVALID_CONFIG, "Invalid value x for configuration segment.bytes: Not a number of type INT")
    assert topic_overrides(admin, topic_name) == expected

    # Resources of one request are independent.
    other = topic_name + "-other"
    create_topic(admin, other, 1)
    results = incremental_many(admin, [
        (ResourceType.TOPIC, topic_name, [("segment.ms", "8000000", SET)]),
        (ResourceType.TOPIC, other, [("retention.ms", "-7", SET)]),
        (ResourceType.TOPIC, topic_name + "-missing", [("retention.ms", "1000", SET)]),
    ])
    assert results == {
        (ResourceType.TOPIC, topic_name): None,
        (ResourceType.TOPIC, other): (KafkaError.INVALID_CONFIG,
                                      "Invalid value -7 for configuration retention.ms: Value must be at least -1"),
        (ResourceType.TOPIC, topic_name + "-missing"): (KafkaError.UNKNOWN_TOPIC_OR_PART,
                                                        f"The topic '{topic_name}-missing' does not exist."),
    }
    assert topic_overrides(admin, topic_name)["segment.ms"] == "8000000"
    assert topic_overrides(admin, other) == {}


def test_incremental_alter_broker_configs_apply_to_topics(broker, topic_name):
    """BROKER "0" and "" (cluster default) log.* configs become the defaults of topics that do
    not set them, at once, with the right source; precedence topic > "0" > "" > static > default."""
    admin = admin_client(broker)
    kp = kp_admin(broker)
    plain, pinned = topic_name, topic_name + "-pinned"
    create_topic(admin, plain, 1)
    create_topic(admin, pinned, 1, {"retention.ms": "1000000"})

    def retention(topic):
        e = describe(admin, ResourceType.TOPIC, topic)["retention.ms"]
        return e.value, e.source

    try:
        incremental(admin, ResourceType.BROKER, "0", ("log.retention.ms", "7200000", SET))
        assert retention(plain) == ("7200000", ConfigSource.DYNAMIC_BROKER_CONFIG.value)
        assert retention(pinned) == ("1000000", ConfigSource.DYNAMIC_TOPIC_CONFIG.value)
        b = describe(admin, ResourceType.BROKER, "0")["log.retention.ms"]
        assert (b.value, b.source, b.is_read_only, b.is_default) == ("7200000", ConfigSource.DYNAMIC_BROKER_CONFIG.value, False, False)
        # The full synonym chain of the topic entry, dynamic broker first.
        code, _, configs = raw_describe(kp, 2, plain, ["retention.ms"])
        assert code == 0
        value, source, read_only, chain = configs["retention.ms"]
        assert (value, source, read_only) == ("7200000", 2, False)
        assert chain[0] == ("log.retention.ms", "7200000", 2), chain

        # The cluster-wide default "" (librdkafka refuses that name; sent raw).
        assert raw_incremental(kp, 4, "", [("log.retention.ms", 0, "10800000")]) == (0, None)
        code, _, defaults = raw_describe(kp, 4, "")
        assert code == 0 and defaults == {"log.retention.ms": ("10800000", 3, False, [("log.retention.ms", "10800000", 3)])}, defaults
        assert retention(plain) == ("7200000", ConfigSource.DYNAMIC_BROKER_CONFIG.value), "per-broker beats the default"
        incremental(admin, ResourceType.BROKER, "0", ("log.retention.ms", None, DELETE))
        assert retention(plain) == ("10800000", ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG.value)
        assert raw_incremental(kp, 4, "", [("log.retention.ms", 1, None)]) == (0, None)
        assert retention(plain) == ("604800000", ConfigSource.DEFAULT_CONFIG.value)
        assert raw_describe(kp, 4, "")[2] == {}

        # A broker default really applies to existing topics without a restart.
        incremental(admin, ResourceType.BROKER, "0", ("log.message.timestamp.type", "LogAppendTime", SET))
        e = describe(admin, ResourceType.TOPIC, plain)["message.timestamp.type"]
        assert (e.value, e.source) == ("LogAppendTime", ConfigSource.DYNAMIC_BROKER_CONFIG.value)
        producer = ck_producer(broker)
        old = now_ms() - 3_600_000
        before = now_ms()
        (report,) = ck_produce(producer, plain, [dict(partition=0, value=b"stamped", timestamp=old)])
        after = now_ms()
        assert report[0] is None
        ts_type, ts = report[3]
        assert ts_type == TIMESTAMP_LOG_APPEND_TIME and before <= ts <= after, report
        incremental(admin, ResourceType.BROKER, "0", ("log.message.timestamp.type", None, DELETE))
        (report,) = ck_produce(producer, plain, [dict(partition=0, value=b"created", timestamp=old)])
        assert report[3] == (TIMESTAMP_CREATE_TIME, old), report
    finally:
        incremental(admin, ResourceType.BROKER, "0", ("log.retention.ms", None, DELETE),
                    ("log.message.timestamp.type", None, DELETE))
        raw_incremental(kp, 4, "", [("log.retention.ms", 1, None)])
        kp.close()


def test_incremental_alter_broker_refusals(broker):
    admin = admin_client(broker)
    kp = kp_admin(broker)
    try:
        refused(lambda: incremental(admin, ResourceType.BROKER, "0", ("log.retention.hours", "1", SET)),
                KafkaError.INVALID_REQUEST, "Cannot update these configs dynamically: Set(log.retention.hours)")
        refused(lambda: incremental(admin, ResourceType.BROKER, "0", ("log.retention.ms", "abc", SET)),
                KafkaError.INVALID_REQUEST, "Invalid value abc for configuration log.retention.ms: Not a number of type LONG")
        refused(lambda: incremental(admin, ResourceType.BROKER, "0", ("log.retention.ms", "5", APPEND)),
                KafkaError.INVALID_CONFIG, "Config value append is not allowed for config key: log.retention.ms")
        # All or nothing: the valid change next to a refused one is not applied.
        refused(lambda: incremental(admin, ResourceType.BROKER, "0", ("log.cleaner.backoff.ms", "999", SET),
                                    ("broker.id", "5", SET)),
                KafkaError.INVALID_REQUEST, "Cannot update these configs dynamically: Set(broker.id)")
        assert raw_incremental(kp, 4, "1", [("log.retention.ms", 0, "1000")]) == (
            KafkaError.INVALID_REQUEST, "Unexpected broker id, expected 0, but received 1")
        assert raw_incremental(kp, 4, "x", [("log.retention.ms", 0, "1000")]) == (
            KafkaError.INVALID_REQUEST, "Node id must be an integer, but it is: x")
        assert raw_describe(kp, 4, "1")[:2] == (
            KafkaError.INVALID_REQUEST, "Unexpected broker id, expected 0 or empty string, but received 1")
        assert raw_describe(kp, 4, "x")[:2] == (KafkaError.INVALID_REQUEST, "Broker id must be an integer, but it is: x")

        entries = describe(admin, ResourceType.BROKER, "0")
        assert not [k for k, e in entries.items() if e.source == ConfigSource.DYNAMIC_BROKER_CONFIG.value]
        e = entries["log.cleaner.backoff.ms"]
        assert (e.value, e.source) == ("250", ConfigSource.STATIC_BROKER_CONFIG.value)
        assert raw_describe(kp, 4, "")[2] == {}
    finally:
        kp.close()


def test_group_configs(broker):
    admin = admin_client(broker)
    group = f"config-group-{time.time_ns()}"
    GROUP = ResourceType.GROUP

    # A group nobody ever used: every group config at its default, no error.
    entries = describe(admin, GROUP, group)
    assert {"consumer.session.timeout.ms", "consumer.heartbeat.interval.ms", "share.session.timeout.ms",
            "share.heartbeat.interval.ms", "share.record.lock.duration.ms", "share.auto.offset.reset"} <= set(entries)
    for e in entries.values():
        assert (e.source, e.is_default, e.is_read_only, e.is_sensitive) == (ConfigSource.DEFAULT_CONFIG.value, True, False, False), e
    assert entries["consumer.session.timeout.ms"].value == "45000"
    assert entries["consumer.heartbeat.interval.ms"].value == "5000"

    incremental(admin, GROUP, group, ("consumer.session.timeout.ms", "50000", SET),
                ("consumer.heartbeat.interval.ms", "6000", SET))
    entries = describe(admin, GROUP, group)
    for name, value in (("consumer.session.timeout.ms", "50000"), ("consumer.heartbeat.interval.ms", "6000")):
        e = entries[name]
        assert (e.value, e.source, e.is_default, e.is_read_only) == (value, ConfigSource.GROUP_CONFIG.value, False, False), e
        assert synonyms(e) == {name: (value, ConfigSource.GROUP_CONFIG.value)}
    assert entries["share.session.timeout.ms"].source == ConfigSource.DEFAULT_CONFIG.value

    def group_overrides():
        return {k: e.value for k, e in describe(admin, GROUP, group).items() if e.source == ConfigSource.GROUP_CONFIG.value}

    want = {"consumer.session.timeout.ms": "50000", "consumer.heartbeat.interval.ms": "6000"}
    for ops, message in [
        ([("consumer.session.timeout.ms", "1000", SET)],
         "consumer.session.timeout.ms must be greater than or equal to group.consumer.min.session.timeout.ms"),
        ([("consumer.session.timeout.ms", "70000", SET)],
         "consumer.session.timeout.ms must be less than or equal to group.consumer.max.session.timeout.ms"),
        ([("consumer.heartbeat.interval.ms", "45000", SET)],
         "consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms"),
        ([("consumer.session.timeout.ms", "x", SET)],
         "Invalid value x for configuration consumer.session.timeout.ms: Not a number of type INT"),
        ([("share.auto.offset.reset", "earliest", SET), ("bogus.group.config", "1", SET)],
         "Unknown group config name: bogus.group.config"),
        ([("consumer.heartbeat.interval.ms", "7000", APPEND)],
         "Can't APPEND to key consumer.heartbeat.interval.ms because its type is not LIST."),
    ]:
        refused(lambda: incremental(admin, GROUP, group, *ops), KafkaError.INVALID_CONFIG, message)
        assert group_overrides() == want, ops

    incremental(admin, GROUP, group, ("consumer.session.timeout.ms", None, DELETE))
    e = describe(admin, GROUP, group)["consumer.session.timeout.ms"]
    assert (e.value, e.source) == ("45000", ConfigSource.DEFAULT_CONFIG.value)
    assert group_overrides() == {"consumer.heartbeat.interval.ms": "6000"}


# ---------------------------------------------------------------- AlterConfigs (legacy)

def test_legacy_alter_configs_replaces_the_whole_set(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 1, {"retention.ms": "3600000", "cleanup.policy": "compact,delete"})

    def alter(rtype, name, values):
        resource = ConfigResource(rtype, name, set_config=values)
        with pytest.warns(DeprecationWarning):
            futures = admin.alter_configs([resource], request_timeout=15)
        return futures[resource].result(timeout=20)

    alter(ResourceType.TOPIC, topic_name, {"segment.ms": "7200000", "max.message.bytes": "300000"})
    # Everything not listed was removed, as Kafka's AlterConfigs does.
    assert topic_overrides(admin, topic_name) == {"segment.ms": "7200000", "max.message.bytes": "300000"}
    refused(lambda: alter(ResourceType.TOPIC, topic_name, {"segment.ms": "0"}),
            KafkaError.INVALID_CONFIG, "Invalid value 0 for configuration segment.ms: Value must be at least 1")
    refused(lambda: alter(ResourceType.TOPIC, topic_name, {"segment.ms": "1000", "unknown.topic.config": "1"}),
            KafkaError.INVALID_CONFIG, "Unknown topic config name: unknown.topic.config")
    assert topic_overrides(admin, topic_name) == {"segment.ms": "7200000", "max.message.bytes": "300000"}
    alter(ResourceType.TOPIC, topic_name, {})
    assert topic_overrides(admin, topic_name) == {}

    # BROKER "0": the dynamic per-broker set is replaced; the static --config value shows again after.
    try:
        alter(ResourceType.BROKER, "0", {"log.cleaner.backoff.ms": "300", "log.cleaner.dedupe.buffer.size": "33554432"})
        entries = describe(admin, ResourceType.BROKER, "0")
        for name, value in (("log.cleaner.backoff.ms", "300"), ("log.cleaner.dedupe.buffer.size", "33554432")):
            assert (entries[name].value, entries[name].source) == (value, ConfigSource.DYNAMIC_BROKER_CONFIG.value)
        alter(ResourceType.BROKER, "0", {"log.cleaner.dedupe.buffer.size": "67108864"})
        entries = describe(admin, ResourceType.BROKER, "0")
        assert (entries["log.cleaner.backoff.ms"].value, entries["log.cleaner.backoff.ms"].source) == (
            "250", ConfigSource.STATIC_BROKER_CONFIG.value)
        assert entries["log.cleaner.dedupe.buffer.size"].value == "67108864"
        refused(lambda: alter(ResourceType.BROKER, "0", {"log.retention.hours": "1"}),
                KafkaError.INVALID_REQUEST, "Cannot update these configs dynamically: Set(log.retention.hours)")
    finally:
        alter(ResourceType.BROKER, "0", {})
    entries = describe(admin, ResourceType.BROKER, "0")
    assert not [k for k, e in entries.items() if e.source == ConfigSource.DYNAMIC_BROKER_CONFIG.value]

    # GROUP: same replace-all rule.
    group = f"legacy-group-{time.time_ns()}"
    alter(ResourceType.GROUP, group, {"consumer.session.timeout.ms": "55000"})
    alter(ResourceType.GROUP, group, {"consumer.heartbeat.interval.ms": "7000"})
    entries = describe(admin, ResourceType.GROUP, group)
    assert (entries["consumer.session.timeout.ms"].value, entries["consumer.session.timeout.ms"].source) == (
        "45000", ConfigSource.DEFAULT_CONFIG.value)
    assert (entries["consumer.heartbeat.interval.ms"].value, entries["consumer.heartbeat.interval.ms"].source) == (
        "7000", ConfigSource.GROUP_CONFIG.value)


# ---------------------------------------------------------------- DescribeConfigs

def test_describe_configs_topic_broker_group(broker, topic_name):
    admin = admin_client(broker)
    kp = kp_admin(broker)
    try:
        create_topic(admin, topic_name, 1, {"retention.ms": "3600000", "cleanup.policy": "compact,delete"})
        entries = describe(admin, ResourceType.TOPIC, topic_name)
        assert KAFKA_TOPIC_CONFIGS <= set(entries), sorted(KAFKA_TOPIC_CONFIGS - set(entries))
        assert "internal.segment.bytes" not in entries, "internal configs are shown only when set"
        for e in entries.values():
            assert (e.is_read_only, e.is_sensitive) == (False, False), e
        e = entries["retention.ms"]
        assert (e.value, e.source, e.is_default) == ("3600000", ConfigSource.DYNAMIC_TOPIC_CONFIG.value, False)
        assert synonyms(e)["retention.ms"] == ("3600000", ConfigSource.DYNAMIC_TOPIC_CONFIG.value)
        e = entries["segment.bytes"]
        assert (e.value, e.source, e.is_default) == ("1073741824", ConfigSource.DEFAULT_CONFIG.value, True)
        assert synonyms(e) == {"log.segment.bytes": ("1073741824", ConfigSource.DEFAULT_CONFIG.value)}
        for name, value in (("max.message.bytes", "1048588"), ("min.cleanable.dirty.ratio", "0.5"),
                            ("message.timestamp.type", "CreateTime"), ("message.timestamp.after.max.ms", "3600000"),
                            ("min.insync.replicas", "1"), ("compression.type", "producer"),
                            ("delete.retention.ms", "86400000"), ("max.compaction.lag.ms", "9223372036854775807"),
                            ("leader.replication.throttled.replicas", ""), ("remote.storage.enable", "false")):
            assert (entries[name].value, entries[name].source) == (value, ConfigSource.DEFAULT_CONFIG.value), name
        # Full synonym chain of a topic override.
        code, _, configs = raw_describe(kp, 2, topic_name, ["cleanup.policy"])
        assert code == 0 and list(configs) == ["cleanup.policy"], "configuration_keys filters"
        assert configs["cleanup.policy"] == ("compact,delete", 1, False,
                                             [("cleanup.policy", "compact,delete", 1), ("log.cleanup.policy", "delete", 5)])
        # internal.segment.bytes appears once set.
        incremental(admin, ResourceType.TOPIC, topic_name, ("internal.segment.bytes", "65536", SET))
        e = describe(admin, ResourceType.TOPIC, topic_name)["internal.segment.bytes"]
        assert (e.value, e.source) == ("65536", ConfigSource.DYNAMIC_TOPIC_CONFIG.value)

        refused(lambda: describe(admin, ResourceType.TOPIC, topic_name + "-missing"),
                KafkaError.UNKNOWN_TOPIC_OR_PART, "Broker: Unknown topic or partition")

        # BROKER "0": read-only flags, sources (flags and --config are static) and synonyms.
        entries = describe(admin, ResourceType.BROKER, "0")
        expect = {
            # name: (value, source, read_only)
            "broker.id": ("0", ConfigSource.STATIC_BROKER_CONFIG, True),
            "node.id": ("0", ConfigSource.STATIC_BROKER_CONFIG, True),
            "log.dirs": (str(broker.data_dir), ConfigSource.STATIC_BROKER_CONFIG, True),
            "advertised.listeners": (f"PLAINTEXT://{broker.host}:{broker.port}", ConfigSource.STATIC_BROKER_CONFIG, True),
            "group.initial.rebalance.delay.ms": ("0", ConfigSource.STATIC_BROKER_CONFIG, True),
            "log.cleaner.backoff.ms": ("250", ConfigSource.STATIC_BROKER_CONFIG, False),
            "log.retention.hours": ("168", ConfigSource.DEFAULT_CONFIG, True),
            "log.segment.bytes": ("1073741824", ConfigSource.DEFAULT_CONFIG, False),
            "log.cleanup.policy": ("delete", ConfigSource.DEFAULT_CONFIG, False),
            "message.max.bytes": ("1048588", ConfigSource.DEFAULT_CONFIG, False),
            "log.cleaner.enable": ("true", ConfigSource.DEFAULT_CONFIG, True),
            "delete.topic.enable": ("true", ConfigSource.DEFAULT_CONFIG, True),
        }
        for name, (value, source, read_only) in expect.items():
            e = entries[name]
            assert (e.value, e.source, e.is_read_only, e.is_sensitive) == (value, source.value, read_only, False), (name, e)
            assert e.is_default == (source == ConfigSource.DEFAULT_CONFIG), (name, e)
        code, _, configs = raw_describe(kp, 4, "0", ["log.cleaner.backoff.ms", "broker.id"])
        assert code == 0
        assert configs["log.cleaner.backoff.ms"] == ("250", 4, False, [("log.cleaner.backoff.ms", "250", 4),
                                                                      ("log.cleaner.backoff.ms", "15000", 5)])
        assert configs["broker.id"] == ("0", 4, True, [("broker.id", "0", 4), ("broker.id", "-1", 5)])

        # GROUP: see test_group_configs; an empty name is refused by the broker (sent raw:
        # librdkafka refuses it client-side).
        assert raw_describe(kp, 32, "")[:2] == (KafkaError.INVALID_REQUEST, "Group name must not be empty")
    finally:
        kp.close()


# ---------------------------------------------------------------- DeleteRecords

def test_delete_records_moves_the_low_watermark(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 2)
    producer = ck_producer(broker)
    ck_produce(producer, topic_name, [dict(partition=0, value=b"p0-%d" % i) for i in range(30)] +
               [dict(partition=1, value=b"p1-%d" % i) for i in range(10)])

    def delete(partition, offset):
        tp = TopicPartition(topic_name, partition, offset)
        return admin.delete_records([tp], request_timeout=15)[tp].result(timeout=20)

    assert delete(0, 12).low_watermark == 12
    consumer = ck_consumer(broker)
    try:
        tp0 = TopicPartition(topic_name, 0)
        assert consumer.get_watermark_offsets(tp0, timeout=10) == (12, 30)
        consumer.assign([TopicPartition(topic_name, 0, OFFSET_BEGINNING)])
        got = ck_consume(consumer, 18, eof_partitions=1)
        assert [(r.offset, r.value) for r in got] == [(i, b"p0-%d" % i) for i in range(12, 30)]

        # Beyond the high watermark: OFFSET_OUT_OF_RANGE, nothing moves.
        refused(lambda: delete(0, 31), KafkaError.OFFSET_OUT_OF_RANGE, "Broker: Offset out of range")
        # At or below the current low watermark: no change, no error.
        assert delete(0, 5).low_watermark == 12
        assert consumer.get_watermark_offsets(tp0, timeout=10) == (12, 30)
        # Exactly the high watermark empties the partition; OFFSET_END (-1) means the high watermark.
        assert delete(0, 30).low_watermark == 30
        assert delete(1, OFFSET_END).low_watermark == 10
        assert consumer.get_watermark_offsets(TopicPartition(topic_name, 1), timeout=10) == (10, 10)

        # A consumer asking for a deleted offset is reset to the low watermark.
        ck_produce(producer, topic_name, [dict(partition=1, value=b"p1-new")])
        late = ck_consumer(broker, auto_offset_reset="earliest")
        try:
            late.assign([TopicPartition(topic_name, 1, 3)])
            got = ck_consume(late, 1, eof_partitions=1)
            assert [(r.offset, r.value) for r in got] == [(10, b"p1-new")]
        finally:
            late.close()
    finally:
        consumer.close()

    # A compact-only topic refuses (POLICY_VIOLATION); compact,delete allows it.
    compacted = topic_name + "-compact"
    both = topic_name + "-both"
    create_topic(admin, compacted, 1, {"cleanup.policy": "compact"})
    create_topic(admin, both, 1, {"cleanup.policy": "compact,delete"})
    for t in (compacted, both):
        ck_produce(producer, t, [dict(partition=0, key=b"k%d" % i, value=b"v") for i in range(5)])
    tp = TopicPartition(compacted, 0, 2)
    refused(lambda: admin.delete_records([tp], request_timeout=15)[tp].result(20),
            KafkaError.POLICY_VIOLATION, "Broker: Policy violation")
    tp = TopicPartition(both, 0, 2)
    assert admin.delete_records([tp], request_timeout=15)[tp].result(20).low_watermark == 2


# ---------------------------------------------------------------- OffsetDelete

def test_delete_group_offsets(broker, topic_name):
    """Empty group: offsets deleted; subscribed group: GROUP_SUBSCRIBED_TO_TOPIC for its topics
    only; unknown group: GROUP_ID_NOT_FOUND. Requests from kafka-python (see module doc)."""
    from confluent_kafka import Consumer
    from kafka import TopicPartition as KTP
    from kafka import errors as Errors

    admin = admin_client(broker)
    kp = kp_admin(broker)
    subscribed, other = topic_name, topic_name + "-other"
    create_topic(admin, subscribed, 2)
    create_topic(admin, other, 1)
    group = f"offsets-{time.time_ns()}"

    def group_consumer():
        conf = ck_common(broker)
        conf.update({"group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest",
                     "session.timeout.ms": 6000, "heartbeat.interval.ms": 500})
        return Consumer(conf)

    def committed():
        from confluent_kafka import ConsumerGroupTopicPartitions
        res = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group)], request_timeout=15)[group].result(20)
        return {(tp.topic, tp.partition): tp.offset for tp in res.topic_partitions if tp.offset >= 0}

    try:
        c = group_consumer()
        c.commit(offsets=[TopicPartition(subscribed, 0, 5), TopicPartition(subscribed, 1, 3),
                          TopicPartition(other, 0, 4)], asynchronous=False)
        c.close()
        assert committed() == {(subscribed, 0): 5, (subscribed, 1): 3, (other, 0): 4}

        # Empty group: allowed. Unknown partitions are reported per partition.
        result = kp.delete_group_offsets(group, [KTP(subscribed, 0), KTP(subscribed, 9), KTP(topic_name + "-nope", 0)])
        assert result == {KTP(subscribed, 0): Errors.NoError,
                          KTP(subscribed, 9): Errors.UnknownTopicOrPartitionError,
                          KTP(topic_name + "-nope", 0): Errors.UnknownTopicOrPartitionError}
        assert committed() == {(subscribed, 1): 3, (other, 0): 4}

        # An active member subscribed to `subscribed`: those offsets are protected, others not.
        member = group_consumer()
        try:
            assigned = []
            member.subscribe([subscribed], on_assign=lambda consumer, parts: assigned.extend(parts))
            def poll_assigned():
                member.poll(0.1)
                return assigned
            wait_until(poll_assigned, 20, "the group's assignment")
            result = kp.delete_group_offsets(group, [KTP(subscribed, 1), KTP(other, 0)])
            assert result == {KTP(subscribed, 1): Errors.GroupSubscribedToTopicError, KTP(other, 0): Errors.NoError}
            assert committed() == {(subscribed, 1): 3}
        finally:
            member.close()

        with pytest.raises(Errors.GroupIdNotFoundError):
            kp.delete_group_offsets(group + "-never", [KTP(other, 0)])
    finally:
        kp.close()


# ---------------------------------------------------------------- DescribeCluster, Metadata

def test_describe_cluster_and_list_topics(broker, topic_name):
    admin = admin_client(broker)
    create_topic(admin, topic_name, 3)
    cluster = admin.describe_cluster(request_timeout=15).result(timeout=20)
    md = admin.list_topics(timeout=10)
    assert cluster.cluster_id and cluster.cluster_id == md.cluster_id
    (node,) = cluster.nodes
    assert (node.id, node.host, node.port) == (0, broker.host, broker.port)
    assert cluster.controller.id == 0 and md.controller_id == 0
    assert cluster.authorized_operations is None, "not asked for"

    (b,) = md.brokers.values()
    assert (b.id, b.host, b.port) == (0, broker.host, broker.port)
    t = md.topics[topic_name]
    assert t.error is None and sorted(t.partitions) == [0, 1, 2]
    one = admin.list_topics(topic_name, timeout=10)
    assert list(one.topics) == [topic_name]
    assert sorted(one.topics[topic_name].partitions) == [0, 1, 2]

    # kafka-python's describe_cluster speaks DescribeCluster itself (librdkafka uses Metadata).
    kp = kp_admin(broker)
    try:
        described = kp.describe_cluster()
    finally:
        kp.close()
    assert described["cluster_id"] == cluster.cluster_id and described["controller_id"] == 0
    assert described["brokers"] == [{"broker_id": 0, "host": broker.host, "port": broker.port, "rack": None, "is_fenced": False}]
    assert set(described["authorized_operations"]) == {"CREATE", "ALTER", "DESCRIBE", "CLUSTER_ACTION",
                                                       "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE"}


def test_describe_cluster_authorized_operations(broker):
    from confluent_kafka.admin import AclOperation
    admin = admin_client(broker)
    cluster = admin.describe_cluster(include_authorized_operations=True, request_timeout=15).result(timeout=20)
    del admin  # not kept alive by the expected failure's traceback
    assert cluster.authorized_operations is not None
    assert set(cluster.authorized_operations) == {
        AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION,
        AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE}


# ---------------------------------------------------------------- bad input

BAD_TOPIC_CONFIGS = [
    # (configs, Kafka 4.1's INVALID_CONFIG message)
    ({"segment.bytes": "abc"}, "Invalid value abc for configuration segment.bytes: Not a number of type INT"),
    ({"retention.ms": "1h"}, "Invalid value 1h for configuration retention.ms: Not a number of type LONG"),
    ({"min.cleanable.dirty.ratio": "half"},
     "Invalid value half for configuration min.cleanable.dirty.ratio: Not a number of type DOUBLE"),
    ({"preallocate": "yes"}, "Invalid value yes for configuration preallocate: Expected value to be either true or false"),
    ({"segment.bytes": "3000000000"}, "Invalid value 3000000000 for configuration segment.bytes: Not a number of type INT"),
    ({"segment.bytes": "-1"}, "Invalid value -1 for configuration segment.bytes: Value must be at least 1048576"),
    ({"max.message.bytes": "-1"}, "Invalid value -1 for configuration max.message.bytes: Value must be at least 0"),
    ({"retention.ms": "-2"}, "Invalid value -2 for configuration retention.ms: Value must be at least -1"),
    ({"segment.index.bytes": "2"}, "Invalid value 2 for configuration segment.index.bytes: Value must be at least 4"),
    ({"min.cleanable.dirty.ratio": "1.5"},
     "Invalid value 1.5 for configuration min.cleanable.dirty.ratio: Value must be no more than 1"),
    ({"compression.gzip.level": "10"},
     "Invalid value 10 for configuration compression.gzip.level: Value must be between 1 and 9 or equal to -1"),
    ({"compression.type": "zip"},
     "Invalid value zip for configuration compression.type: String must be one of: uncompressed, zstd, lz4, snappy, gzip, producer"),
    ({"cleanup.policy": "compact,forever"},
     "Invalid value forever for configuration cleanup.policy: String must be one of: compact, delete"),
    ({"message.timestamp.type": "logappendtime"},
     "Invalid value logappendtime for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime"),
    ({"min.compaction.lag.ms": "10", "max.compaction.lag.ms": "5"},
     "conflict topic config setting min.compaction.lag.ms (10) > max.compaction.lag.ms (5)"),
    ({"no.such.config": "1"}, "Unknown topic config name: no.such.config"),
    ({"message.downconversion.enable": "true"}, "Unknown topic config name: message.downconversion.enable"),
    ({"message.format.version": "3.0"}, "Unknown topic config name: message.format.version"),
]


@pytest.mark.parametrize("configs,message", BAD_TOPIC_CONFIGS, ids=[
    "-".join(f"{k}={v}" for k, v in c.items()) for c, _ in BAD_TOPIC_CONFIGS])
def test_bad_topic_configs_are_refused_and_change_nothing(broker, topic_name, configs, message):
    admin = admin_client(broker)
    # CreateTopics: refused, no topic.
    refused(lambda: create_topic(admin, topic_name, 1, configs), KafkaError.INVALID_CONFIG, message)
    assert topic_name not in admin.list_topics(timeout=10).topics
    # IncrementalAlterConfigs and AlterConfigs on an existing topic: refused, overrides kept.
    create_topic(admin, topic_name, 1, {"retention.ms": "3600000"})
    refused(lambda: incremental(admin, ResourceType.TOPIC, topic_name, ("segment.ms", "1000", SET),
                                *[(k, v, SET) for k, v in configs.items()]),
            KafkaError.INVALID_CONFIG, message)
    resource = ConfigResource(ResourceType.TOPIC, topic_name, set_config=dict(configs))
    with pytest.warns(DeprecationWarning):
        future = admin.alter_configs([resource], request_timeout=15)[resource]
    refused(lambda: future.result(timeout=20), KafkaError.INVALID_CONFIG, message)
    assert topic_overrides(admin, topic_name) == {"retention.ms": "3600000"}


def test_negative_retention_bytes_is_accepted(broker, topic_name):
    admin = admin_client(broker)
    error = overrides = None
    try:
        create_topic(admin, topic_name, 1, {"retention.bytes": "-5"})
        overrides = topic_overrides(admin, topic_name)
    except KafkaException as e:
        error = e.args[0].str()
    del admin  # not kept alive by the expected failure's traceback
    assert error is None, error
    assert overrides == {"retention.bytes": "-5"}
