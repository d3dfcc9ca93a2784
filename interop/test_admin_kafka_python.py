"""kafka-python 3.0 KafkaAdminClient against kaffeed's admin APIs (issue 11): DescribeLogDirs
(v0-4, sizes checked against the files on disk), CreatePartitions, DescribeConfigs (filters,
sources, synonyms, types) and AlterConfigs / IncrementalAlterConfigs, with Kafka 4.1's answers
(/tmp/research/configs.md, compaction-and-admin.md)."""

import os
import time
from pathlib import Path

import pytest
from kafka import KafkaAdminClient, KafkaProducer
from kafka import errors as Errors
from kafka.admin import AlterConfigOp, ConfigResource

BROKER_ARGS = ["--config", "log.cleaner.backoff.ms=250"]

TIMEOUTS = dict(request_timeout_ms=10000, bootstrap_timeout_ms=10000,
                reconnect_backoff_ms=50, reconnect_backoff_max_ms=500)


@pytest.fixture
def admin(broker):
    client = KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="interop-kp-admin", **TIMEOUTS)
    yield client
    client.close()


def create_topic(admin, name, partitions, configs=None):
    spec = {"num_partitions": partitions, "replication_factor": 1}
    if configs:
        spec["configs"] = configs
    admin.create_topics({name: spec}, timeout_ms=10000)


def produce(broker, topic, records):
    """records: (partition, key, value); returns the acknowledged offsets."""
    p = KafkaProducer(bootstrap_servers=broker.bootstrap, acks="all", linger_ms=5, enable_idempotence=False, **TIMEOUTS)
    try:
        futures = [p.send(topic, key=k, value=v, partition=part) for part, k, v in records]
        p.flush(timeout=20)
        return [f.get(timeout=20).offset for f in futures]
    finally:
        p.close(timeout=10)


def send(admin, request):
    """One raw request over the admin client's connection (to pin a version)."""
    async def go():
        return await admin._manager.send(request)
    return admin._manager.run(go)


def partition_dir(broker, topic, partition) -> Path:
    return Path(broker.data_dir) / "topics" / topic / str(partition)


def segment_bytes_on_disk(broker, topic, partition) -> int:
    """What Kafka reports as a partition's size: the sum of its segment (.log) files."""
    return sum(p.stat().st_size for p in partition_dir(broker, topic, partition).glob("*.log"))


def topic_entries(result, topic):
    """DescribeLogDirs output -> {partition: entry} for one topic (over every log dir)."""
    out = {}
    for b in result:
        for d in b["log_dirs"]:
            for t in d["topics"]:
                if t["name"] == topic:
                    for p in t["partitions"]:
                        out[p["partition_index"]] = p
    return out


# ---------------------------------------------------------------- DescribeLogDirs

def test_describe_log_dirs(broker, admin, topic_name):
    create_topic(admin, topic_name, 3)
    produce(broker, topic_name, [(0, b"k%d" % i, b"v" * 100) for i in range(20)] +
            [(1, None, b"w" * 1000) for i in range(5)])

    result = admin.describe_log_dirs()
    assert [b["broker"] for b in result] == [0]
    (log_dir,) = result[0]["log_dirs"]
    assert log_dir["error_code"] == 0
    assert log_dir["log_dir"] == os.path.abspath(broker.data_dir)
    # v4: the volume's total and usable bytes (statvfs of the data directory).
    st = os.statvfs(broker.data_dir)
    assert log_dir["total_bytes"] == st.f_blocks * st.f_frsize
    usable = st.f_bavail * st.f_frsize
    assert abs(log_dir["usable_bytes"] - usable) < max(usable // 20, 64 << 20), (log_dir["usable_bytes"], usable)

    entries = topic_entries(result, topic_name)
    assert sorted(entries) == [0, 1, 2]
    for p, e in entries.items():
        assert e["partition_size"] == segment_bytes_on_disk(broker, topic_name, p), (p, e)
        assert (e["offset_lag"], e["is_future_key"]) == (0, False), e
    assert entries[2]["partition_size"] == 0
    assert entries[1]["partition_size"] > 5000 > entries[0]["partition_size"] > 2000, entries

    # Filters: one partition; a whole topic; unknown topics and partitions are simply absent.
    only = admin.describe_log_dirs({topic_name: [0, 7], topic_name + "-nope": [0]})
    assert topic_entries(only, topic_name + "-nope") == {}
    assert list(topic_entries(only, topic_name)) == [0]
    (d,) = only[0]["log_dirs"]
    assert [t["name"] for t in d["topics"]] == [topic_name]
    assert sorted(topic_entries(admin.describe_log_dirs([topic_name]), topic_name)) == [0, 1, 2]

    # The size follows appends.
    before = entries[0]["partition_size"]
    produce(broker, topic_name, [(0, b"more", b"x" * 3000)])
    after = topic_entries(admin.describe_log_dirs({topic_name: [0]}), topic_name)[0]["partition_size"]
    assert after == segment_bytes_on_disk(broker, topic_name, 0) and after > before + 3000


@pytest.mark.parametrize("version", [0, 1, 2, 3, 4])
def test_describe_log_dirs_versions(broker, admin, topic_name, version):
    from kafka.protocol.admin import DescribeLogDirsRequest
    create_topic(admin, topic_name, 2)
    produce(broker, topic_name, [(1, b"k", b"v" * 500)])
    resp = send(admin, DescribeLogDirsRequest(topics=[(topic_name, [0, 1])], min_version=version, max_version=version))
    assert resp.version == version
    if version >= 3:
        assert resp.error_code == 0
    (result,) = resp.results
    assert (result.error_code, result.log_dir) == (0, os.path.abspath(broker.data_dir))
    (topic,) = result.topics
    assert topic.name == topic_name
    sizes = {p.partition_index: (p.partition_size, p.offset_lag, p.is_future_key) for p in topic.partitions}
    assert sizes == {0: (0, 0, False), 1: (segment_bytes_on_disk(broker, topic_name, 1), 0, False)}
    if version >= 4:
        assert result.total_bytes == os.statvfs(broker.data_dir).f_blocks * os.statvfs(broker.data_dir).f_frsize
        assert 0 < result.usable_bytes <= result.total_bytes


# ---------------------------------------------------------------- CreatePartitions

def test_create_partitions(broker, admin, topic_name):
    create_topic(admin, topic_name, 2)

    def partitions():
        (desc,) = admin.describe_topics([topic_name])
        assert desc["error_code"] == 0, desc
        return sorted(p["partition_index"] for p in desc["partitions"])

    resp = admin.create_partitions({topic_name: 4}, timeout_ms=10000)
    assert [(r.name, r.error_code, r.error_message) for r in resp.results] == [(topic_name, 0, None)]
    assert partitions() == [0, 1, 2, 3]

    admin.create_partitions({topic_name: 8}, validate_only=True)
    assert partitions() == [0, 1, 2, 3]

    # Manual assignment for the new partitions (one replica each, on broker 0).
    admin.create_partitions({topic_name: {"count": 6, "assignments": [[0], [0]]}})
    assert partitions() == [0, 1, 2, 3, 4, 5]
    # The new partitions take writes.
    assert produce(broker, topic_name, [(5, b"k", b"v")]) == [0]

    with pytest.raises(Errors.InvalidPartitionsError) as exc:
        admin.create_partitions({topic_name: 3})
    assert f"The topic {topic_name} currently has 6 partition(s); 3 would not be an increase." in str(exc.value)
    resp = admin.create_partitions({topic_name: 6, topic_name + "-missing": 2}, raise_errors=False)
    assert sorted((r.name, r.error_code, r.error_message) for r in resp.results) == [
        (topic_name, 37, "Topic already has 6 partition(s)."),
        (topic_name + "-missing", 3, None),
    ]
    resp = admin.create_partitions({topic_name: {"count": 8, "assignments": [[0]]}}, raise_errors=False)
    assert [(r.error_code, r.error_message) for r in resp.results] == [
        (39, "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified.")]
    # A negative count (librdkafka refuses it client-side) is just "not an increase".
    resp = admin.create_partitions({topic_name: -1}, raise_errors=False)
    assert [(r.error_code, r.error_message) for r in resp.results] == [
        (37, f"The topic {topic_name} currently has 6 partition(s); -1 would not be an increase.")]
    assert partitions() == [0, 1, 2, 3, 4, 5]


# ---------------------------------------------------------------- DescribeConfigs

def test_describe_configs(broker, admin, topic_name):
    create_topic(admin, topic_name, 1, {"retention.ms": "123456", "cleanup.policy": "compact,delete"})

    # Default filter ("modified"): only what is set on the topic.
    got = admin.describe_configs([ConfigResource("TOPIC", topic_name)])
    entries = got["topic"][topic_name]
    assert set(entries) == {"retention.ms", "cleanup.policy"}
    e = entries["retention.ms"]
    assert (e["value"], e["config_source"], e["read_only"], e["is_sensitive"], e["config_type"]) == (
        "123456", "DYNAMIC_TOPIC_CONFIG", False, False, "LONG")
    assert e["synonyms"] == [] and e["documentation"] is None, "not asked for"
    assert (entries["cleanup.policy"]["value"], entries["cleanup.policy"]["config_type"]) == ("compact,delete", "LIST")

    # All keys, with synonyms, filtered to a few names.
    got = admin.describe_configs([ConfigResource("TOPIC", topic_name, ["retention.ms", "segment.bytes",
                                                                       "min.cleanable.dirty.ratio", "preallocate"])],
                                 include_synonyms=True, config_filter="all")
    entries = got["topic"][topic_name]
    assert set(entries) == {"retention.ms", "segment.bytes", "min.cleanable.dirty.ratio", "preallocate"}
    assert entries["retention.ms"]["synonyms"][0] == {"name": "retention.ms", "value": "123456", "source": "DYNAMIC_TOPIC_CONFIG"}
    assert entries["segment.bytes"]["synonyms"] == [{"name": "log.segment.bytes", "value": "1073741824", "source": "DEFAULT_CONFIG"}]
    assert [(n, entries[n]["value"], entries[n]["config_type"], entries[n]["config_source"])
            for n in ("segment.bytes", "min.cleanable.dirty.ratio", "preallocate")] == [
        ("segment.bytes", "1073741824", "INT", "DEFAULT_CONFIG"),
        ("min.cleanable.dirty.ratio", "0.5", "DOUBLE", "DEFAULT_CONFIG"),
        ("preallocate", "false", "BOOLEAN", "DEFAULT_CONFIG"),
    ]

    # BROKER "0": the static filter shows flags and --config values; "dynamic" only changeable ones.
    static = admin.describe_configs([ConfigResource("BROKER", "0")], config_filter="static")["broker"]["0"]
    assert static["log.cleaner.backoff.ms"]["value"] == "250" and static["log.cleaner.backoff.ms"]["read_only"] is False
    assert static["broker.id"]["value"] == "0" and static["broker.id"]["read_only"] is True
    assert static["log.dirs"]["value"] == str(broker.data_dir)
    assert all(e["config_source"] == "STATIC_BROKER_CONFIG" for e in static.values())
    dynamic = admin.describe_configs([ConfigResource("BROKER", "0")], config_filter="dynamic")["broker"]["0"]
    assert {"log.retention.ms", "log.segment.bytes", "log.cleanup.policy", "message.max.bytes",
            "log.cleaner.backoff.ms"} <= set(dynamic)
    assert not {"broker.id", "log.retention.hours", "log.dirs", "log.cleaner.enable"} & set(dynamic)
    assert all(e["read_only"] is False for e in dynamic.values())

    # GROUP: a group that never existed has every group config at its default.
    group = f"kp-group-{time.time_ns()}"
    everything = admin.describe_configs([ConfigResource("GROUP", group)], config_filter="all")["group"][group]
    assert everything["consumer.session.timeout.ms"]["value"] == "45000"
    assert {e["config_source"] for e in everything.values()} == {"DEFAULT_CONFIG"}

    # Several resources in one call.
    got = admin.describe_configs([ConfigResource("TOPIC", topic_name, ["retention.ms"]),
                                  ConfigResource("GROUP", group, ["consumer.heartbeat.interval.ms"])], config_filter="all")
    assert got["topic"][topic_name]["retention.ms"]["value"] == "123456"
    assert got["group"][group]["consumer.heartbeat.interval.ms"]["value"] == "5000"


# ---------------------------------------------------------------- AlterConfigs

def test_alter_configs(broker, admin, topic_name):
    create_topic(admin, topic_name, 1, {"retention.ms": "123456"})

    def overrides():
        return {k: e["value"] for k, e in
                admin.describe_configs([ConfigResource("TOPIC", topic_name)])["topic"][topic_name].items()}

    # Incremental (kafka-python's default against a broker that supports it): SET and APPEND.
    result = admin.alter_configs([ConfigResource("TOPIC", topic_name, {
        "segment.ms": "3600000", "cleanup.policy": (AlterConfigOp.APPEND, "compact")})])
    assert result == {"topic": {topic_name: "OK"}}
    assert overrides() == {"retention.ms": "123456", "segment.ms": "3600000", "cleanup.policy": "delete,compact"}
    admin.alter_configs([ConfigResource("TOPIC", topic_name, {"cleanup.policy": (AlterConfigOp.SUBTRACT, "delete")})])
    assert overrides()["cleanup.policy"] == "compact"

    # Refusals come back per resource with Kafka's message; nothing changes.
    result = admin.alter_configs([ConfigResource("TOPIC", topic_name, {"segment.ms": "100", "segment.bytes": "10"})])
    assert result == {"topic": {topic_name: "[Error 40] InvalidConfigurationError: Invalid value 10 for configuration "
                                            "segment.bytes: Value must be at least 1048576"}}
    result = admin.alter_configs([ConfigResource("TOPIC", topic_name, {"bogus.key": "1"})], raise_on_unknown=False)
    assert result == {"topic": {topic_name: "[Error 40] InvalidConfigurationError: Unknown topic config name: bogus.key"}}
    assert overrides() == {"retention.ms": "123456", "segment.ms": "3600000", "cleanup.policy": "compact"}

    # Legacy AlterConfigs (incremental=False): kafka-python re-sends the other modified keys,
    # since the request replaces the whole set.
    admin.alter_configs([ConfigResource("TOPIC", topic_name, {"segment.ms": "7200000"})], incremental=False)
    assert overrides() == {"retention.ms": "123456", "segment.ms": "7200000", "cleanup.policy": "compact"}
    # A raw legacy request with one key drops the others, as in Kafka.
    from kafka.protocol.admin import AlterConfigsRequest
    resp = send(admin, AlterConfigsRequest(resources=[(2, topic_name, [("max.message.bytes", "200000")])], validate_only=False))
    assert [(r.error_code, r.error_message) for r in resp.responses] == [(0, None)]
    assert overrides() == {"max.message.bytes": "200000"}

    # reset_configs: DELETE through IncrementalAlterConfigs.
    admin.reset_configs([ConfigResource("TOPIC", topic_name, ["max.message.bytes"])])
    assert overrides() == {}

    # BROKER "0" and a GROUP.
    try:
        result = admin.alter_configs([ConfigResource("BROKER", "0", {"log.cleaner.backoff.ms": "400",
                                                                     "log.retention.bytes": "1073741824"})])
        assert result == {"broker": {"0": "OK"}}
        described = admin.describe_configs([ConfigResource("BROKER", "0", ["log.cleaner.backoff.ms", "log.retention.bytes"])],
                                           include_synonyms=True)["broker"]["0"]
        assert described["log.cleaner.backoff.ms"]["value"] == "400"
        assert described["log.cleaner.backoff.ms"]["config_source"] == "DYNAMIC_BROKER_CONFIG"
        assert [s["source"] for s in described["log.cleaner.backoff.ms"]["synonyms"]] == [
            "DYNAMIC_BROKER_CONFIG", "STATIC_BROKER_CONFIG", "DEFAULT_CONFIG"]
        # A topic without its own retention.bytes now shows the broker's.
        t = admin.describe_configs([ConfigResource("TOPIC", topic_name, ["retention.bytes"])],
                                   config_filter="all")["topic"][topic_name]["retention.bytes"]
        assert (t["value"], t["config_source"]) == ("1073741824", "DYNAMIC_BROKER_CONFIG")
        result = admin.alter_configs([ConfigResource("BROKER", "0", {"log.retention.hours": "1"})], raise_on_unknown=False)
        assert result == {"broker": {"0": "[Error 42] InvalidRequestError: Cannot update these configs dynamically: "
                                          "Set(log.retention.hours)"}}
    finally:
        admin.reset_configs([ConfigResource("BROKER", "0", ["log.cleaner.backoff.ms", "log.retention.bytes"])])
    described = admin.describe_configs([ConfigResource("BROKER", "0", ["log.cleaner.backoff.ms"])])["broker"]["0"]
    assert described == {}, "the modified filter no longer lists it (static source again)"

    group = f"kp-alter-group-{time.time_ns()}"
    assert admin.alter_configs([ConfigResource("GROUP", group, {"consumer.session.timeout.ms": "52000"})]) == {
        "group": {group: "OK"}}
    got = admin.describe_configs([ConfigResource("GROUP", group)])["group"][group]
    assert {k: (e["value"], e["config_source"]) for k, e in got.items()} == {
        "consumer.session.timeout.ms": ("52000", "DYNAMIC_GROUP_CONFIG")}
    result = admin.alter_configs([ConfigResource("GROUP", group, {"consumer.session.timeout.ms": "100"})])
    assert result == {"group": {group: "[Error 40] InvalidConfigurationError: consumer.session.timeout.ms must be "
                                       "greater than or equal to group.consumer.min.session.timeout.ms"}}
