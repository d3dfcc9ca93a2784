"""The consumer group protocol of Kafka 4 (KIP-848, `group.protocol=consumer`) with
confluent-kafka members in separate processes (interop/workers/ck_member.py --protocol
consumer): the broker assigns, members reconcile incrementally (a partition is revoked before
another member gets it), commits carry member epochs.

The broker runs with short consumer-group timings (session 3 s, heartbeat 300 ms) so that
fencing after a SIGKILL is observable quickly."""

import signal
import threading
import time

from grouphelpers import (all_partitions, assert_exactly_once, consumed, create_topic, end_offsets, produce_keyed,
                          wait_committed, wait_consumed, wait_split)
from kafkahelpers import ck_producer
from test_kaffee_cli import run_kaffee
from test_groups import members, topic  # noqa: F401  (the same fixtures as the classic group tests)

BROKER_ARGS = ["--default-partitions", "6", "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000",
               "--config", "group.consumer.min.session.timeout.ms=1000",
               "--config", "group.consumer.session.timeout.ms=3000",
               "--config", "group.consumer.min.heartbeat.interval.ms=100",
               "--config", "group.consumer.heartbeat.interval.ms=300"]

JOIN_S = 25.0
CONSUME_S = 20.0


def ck(members, name, group, topics, **kw):
    return members.ck(name, group, topics, protocol="consumer", **kw)


def test_three_members_split_six_partitions_and_read_everything_once(broker, topic, members):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    trio = [ck(members, n, group, [topic]) for n in ("a", "b", "c")]
    owners = wait_split(trio, parts, JOIN_S, "(3 consumer-protocol members)", balanced=True)
    assert sorted(len(x) for x in owners.values()) == [2, 2, 2], owners   # uniform: 6 / 3

    records = produce_keyed(broker, topic, 0, 300, "one")
    got = wait_consumed(trio, records, CONSUME_S)
    assert_exactly_once(got, records, owners)
    wait_committed(trio, end_offsets(records), CONSUME_S)

    # kaffee shows the group as a consumer-protocol group, with its members and no lag.
    listed = run_kaffee(broker, "groups", "list").stdout.decode()
    assert f"{group}\tStable\tconsumer\tconsumer" in listed, listed
    described = run_kaffee(broker, "groups", "describe", group).stdout.decode()
    assert f"group {group}  type consumer  state Stable" in described, described
    assert "assignor uniform  members 3" in described, described
    lags = [line.split("\t") for line in described.splitlines() if line.startswith(f"  {topic}\t")]
    assert len(lags) == 6 and all(fields[4] == "0" for fields in lags), described


class Flow:
    """Produces keyed records at a steady rate on a background thread; remembers when each
    batch was produced."""

    def __init__(self, broker, topic, per_second=200):
        self.broker, self.topic, self.per_second = broker, topic, per_second
        self.produced = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        producer = ck_producer(self.broker, acks="all")
        n = 0
        while not self.stop.is_set():
            batch = produce_keyed(self.broker, self.topic, n, self.per_second // 10, "flow", producer=producer)
            self.produced.update(batch)
            n += self.per_second // 10
            time.sleep(0.1)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)


def longest_pause(members, since, until):
    """The longest gap (s) between consecutive consumed records of all members in [since, until]."""
    stamps = sorted(ts for m in members for ts in m.record_times() if since <= ts <= until)
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    return max(gaps, default=until - since)


def partition_stalls(members, since, until):
    """Per partition, the longest gap (s) between consecutive records consumed from it in
    [since, until], whoever consumed them (a moved partition stalls until its new owner reads)."""
    stamps = {}
    for m in members:
        for ev in m.snapshot():
            if ev["ev"] == "rec" and since <= ev["at"] <= until:
                stamps.setdefault((ev["t"], ev["p"]), []).append(ev["at"])
    return {tp: max((b - a for a, b in zip(sorted(ts), sorted(ts)[1:])), default=until - since)
            for tp, ts in stamps.items()}


def churn(broker, topic, members, protocol, tag):
    """Three members consume a steady flow; a fourth joins and then one leaves; returns the
    longest consumption pause of the whole group around those changes and each partition's
    longest stall, after checking every record was read."""
    group = f"g-{topic}-{tag}"
    parts = all_partitions([topic])
    make = (lambda n: members.ck(f"{tag}-{n}", group, [topic], protocol=protocol))
    trio = [make(n) for n in ("a", "b", "c")]
    wait_split(trio, parts, JOIN_S, f"({protocol}, 3 members)")
    with Flow(broker, topic) as flow:
        time.sleep(2)
        start = time.monotonic()
        d = make("d")
        wait_split(trio + [d], parts, JOIN_S, f"({protocol}, 4 members)")
        trio[0].stop()
        wait_split(trio[1:] + [d], parts, JOIN_S, f"({protocol}, after a leave)")
        time.sleep(2)
        end = time.monotonic()
    everyone = trio + [d]
    wait_consumed(everyone, flow.produced, CONSUME_S)
    return longest_pause(everyone, start, end), partition_stalls(everyone, start, end)


def test_a_join_and_a_leave_pause_consumption_less_than_classic(broker, members, topic_name):
    pauses, stalls = {}, {}
    for protocol in ("consumer", "classic"):
        topic = f"{topic_name}-{protocol}"
        create_topic(broker, topic, 6)
        pauses[protocol], stalls[protocol] = churn(broker, topic, members, protocol, protocol)
    # Both protocols with 300 ms heartbeats. The group-wide pause (no member reads anything) is
    # short for both; the difference is per partition: the classic (eager) rebalance stops every
    # partition twice, the consumer protocol only the ones that move.
    for protocol in ("consumer", "classic"):
        worst = sorted(stalls[protocol].values(), reverse=True)
        print(f"{protocol}: group-wide pause {pauses[protocol]:.2f} s; per-partition longest stall "
              f"{', '.join(f'{x:.2f}' for x in worst)} s (sum {sum(worst):.2f} s)")
    assert pauses["consumer"] < pauses["classic"] + 0.5, pauses


def test_a_killed_member_is_fenced_and_its_partitions_move(broker, topic, members):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    a, b = ck(members, "a", group, [topic]), ck(members, "b", group, [topic])
    wait_split([a, b], parts, JOIN_S, "(2 members)")
    a.kill()
    # After the 3 s session timeout the broker removes a; b gets all six partitions.
    wait_split([b], parts, JOIN_S, "(after a was SIGKILLed)")
    records = produce_keyed(broker, topic, 0, 120, "after")
    wait_consumed([b], records, CONSUME_S)


def test_a_regex_subscription_picks_up_a_topic_created_later(broker, members, topic_name):
    first, later = f"rx-{topic_name}-a", f"rx-{topic_name}-b"
    create_topic(broker, first, 2)
    member = ck(members, "rx", f"g-{topic_name}", [f"^rx-{topic_name}-.*"])
    wait_split([member], {(first, 0), (first, 1)}, JOIN_S, "(regex, one topic)")
    create_topic(broker, later, 2)
    wait_split([member], {(first, 0), (first, 1), (later, 0), (later, 1)}, JOIN_S, "(regex, a topic created later)")
    records = produce_keyed(broker, later, 0, 50, "later")
    got = wait_consumed([member], records, CONSUME_S)
    assert_exactly_once(got, records)


def test_the_group_carries_on_after_a_broker_restart(broker, topic, members):
    """Members stay up while kaffeed is SIGKILLed and restarted: they rejoin (fenced or unknown
    to the new coordinator, they start again at epoch 0), split the topic again and read what
    is produced after the restart; nothing committed before is read again."""
    group = f"g-{topic}"
    parts = all_partitions([topic])
    pair = [ck(members, n, group, [topic]) for n in ("a", "b")]
    wait_split(pair, parts, JOIN_S, "(2 members)")
    before = produce_keyed(broker, topic, 0, 120, "before")
    wait_consumed(pair, before, CONSUME_S)
    wait_committed(pair, end_offsets(before), CONSUME_S)
    broker.restart(signal.SIGKILL)
    after = produce_keyed(broker, topic, 120, 120, "after")
    since = time.monotonic()
    got = wait_consumed(pair, after, JOIN_S + CONSUME_S, since=None)
    assert {(t, p, o) for _, t, p, o, _, _ in got} >= after.keys()
    wait_split(pair, parts, JOIN_S, "(after the restart)")
    # Committed records are not delivered again after the restart.
    again = [r for r in consumed(pair, since) if (r[1], r[2], r[3]) in before]
    assert not again, again[:5]


def test_confluent_admin_describes_a_consumer_protocol_group(broker, topic, members):
    """librdkafka's AdminClient describes the group through ConsumerGroupDescribe."""
    from confluent_kafka.admin import AdminClient
    from kafkahelpers import ck_common
    group = f"g-{topic}"
    pair = [ck(members, n, group, [topic]) for n in ("a", "b")]
    wait_split(pair, all_partitions([topic]), JOIN_S, "(2 members)")
    admin = AdminClient(ck_common(broker))
    described = admin.describe_consumer_groups([group])[group].result(timeout=15)
    assert described.group_id == group
    assert str(described.state).endswith("STABLE"), described.state
    assert len(described.members) == 2
    owned = sorted((tp.topic, tp.partition) for m in described.members for tp in m.assignment.topic_partitions)
    assert owned == sorted(all_partitions([topic])), owned
    assert str(getattr(described, "type", "CONSUMER")).endswith("CONSUMER"), described
