"""Consumer groups (classic protocol) with real clients: confluent-kafka members in separate
processes (interop/workers/ck_member.py), kafka-python members, aiokafka, admin APIs,
static membership, committed offsets across broker restarts, lag.

The checks are about records: which member got what, no overlap, nothing skipped, no
duplicates where the commit discipline promises exactly-once."""

import signal
import time

import pytest

from grouphelpers import (SESSION_MS, Members, all_partitions, assert_exactly_once, assert_owned,
                          consumed, create_topic, end_offsets, group_committed, merged_commits,
                          produce_keyed, produce_to_partitions, wait_committed, wait_consumed,
                          wait_split)
from kafkahelpers import ck_common, wait_until

BROKER_ARGS = ["--default-partitions", "6", "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000"]

JOIN_S = 25.0       # a (re)balance with worker start-up on a busy 2-core machine
CONSUME_S = 20.0


@pytest.fixture
def members(broker, tmp_path):
    ms = Members(broker, tmp_path)
    yield ms
    ms.cleanup()


@pytest.fixture
def topic(broker, topic_name):
    create_topic(broker, topic_name, 6)
    return topic_name


# ---------------------------------------------------------------- 1. split and exactly-once

def test_ck_group_two_then_three_members(broker, topic, members):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    a = members.ck("a", group, [topic])
    b = members.ck("b", group, [topic])
    owners1 = wait_split([a, b], parts, JOIN_S, "(2 members)")

    one = produce_keyed(broker, topic, 0, 300, "one")
    assert {p for _, p, _ in one} == set(range(6)), "keys did not spread over all partitions"
    got = wait_consumed([a, b], one, CONSUME_S)
    assert_exactly_once(got, one, owners1)
    assert a.records() and b.records()
    wait_committed([a, b], end_offsets(one), CONSUME_S)

    c = members.ck("c", group, [topic])
    owners2 = wait_split([a, b, c], parts, JOIN_S, "(3 members)")
    assert all(len(x) == 2 for x in owners2.values()), owners2   # range: 6 partitions / 3

    two = produce_keyed(broker, topic, 300, 300, "two")
    got = wait_consumed([a, b, c], two, CONSUME_S)
    # Over both phases every record exactly once: the newcomer started at the committed
    # offsets of the partitions it took over, not at the beginning.
    assert_exactly_once(got, {**one, **two})
    assert_owned(got, two.keys(), owners2)
    assert c.records(), "the third member consumed nothing"
    for m in (a, b, c):
        assert not m.errors(), m.describe()


def test_session_timeout_below_broker_minimum_is_refused(broker, topic, members):
    """--group-min-session-timeout-ms 1000: a 500 ms session gets INVALID_SESSION_TIMEOUT (26)
    from JoinGroup and never an assignment."""
    m = members.ck("a", f"g-{topic}", [topic], session_ms=500, heartbeat_ms=100)
    wait_until(lambda: any(e.get("code") == 26 for e in m.errors()) or not m.alive, JOIN_S,
               "INVALID_SESSION_TIMEOUT")
    assert m.assignment() is None, m.describe()


# ---------------------------------------------------------------- 2. a member dies

def test_ck_member_sigkilled_survivors_take_over(broker, topic, members):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    ms = [members.ck(n, group, [topic]) for n in ("a", "b", "c")]
    wait_split(ms, parts, JOIN_S, "(3 members)")
    one = produce_keyed(broker, topic, 0, 240, "one")
    wait_consumed(ms, one, CONSUME_S)
    wait_committed(ms, end_offsets(one), CONSUME_S)

    victim, survivors = ms[1], [ms[0], ms[2]]
    orphaned = victim.assignment()
    assert orphaned, victim.describe()
    victim.kill()
    killed_at = time.monotonic()
    # Produced right after the kill: the victim's share waits for the survivors.
    two = produce_keyed(broker, topic, 240, 240, "two")

    owners = wait_split(survivors, parts, SESSION_MS / 1000 + 10, "after SIGKILL of a member")
    took = time.monotonic() - killed_at
    print(f"takeover {took:.2f}s after the SIGKILL")
    # The broker notices the silence after session.timeout.ms; allow a rebalance on top.
    assert took < SESSION_MS / 1000 + 6, f"survivors took {took:.1f}s to take over {sorted(orphaned)}"
    assert any(orphaned & owners[m.name] for m in survivors)

    got = wait_consumed(survivors, two, CONSUME_S)
    all_got = consumed(ms)
    # Nothing of phase one is read again (it was committed), phase two exactly once.
    assert_exactly_once(all_got, {**one, **two})
    for m in survivors:
        assert not m.errors(), m.describe()


# ---------------------------------------------------------------- 3. commits survive a broker restart

@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_ck_committed_offsets_survive_broker_restart(broker, topic, members, sig):
    """Commit-after-process members commit phase A, then keep consuming phase B without
    committing. After the members stop and the broker restarts, new members of the group must
    start exactly at the committed offsets: they re-read phase B (the uncommitted tail) and
    read phase C (produced after the restart), each record once, and nothing of phase A."""
    group = f"g-{topic}"
    parts = all_partitions([topic])
    a, b = members.ck("a", group, [topic]), members.ck("b", group, [topic])
    wait_split([a, b], parts, JOIN_S, "(2 members)")
    phase_a = produce_keyed(broker, topic, 0, 150, "A")
    wait_consumed([a, b], phase_a, CONSUME_S)
    wait_committed([a, b], end_offsets(phase_a), CONSUME_S)
    a.stop_committing()
    b.stop_committing()
    phase_b = produce_keyed(broker, topic, 150, 90, "B")
    wait_consumed([a, b], phase_b, CONSUME_S)
    assert_exactly_once(consumed([a, b]), {**phase_a, **phase_b})
    committed = merged_commits([a, b])
    assert committed == end_offsets(phase_a), committed
    a.stop()
    b.stop()

    broker.restart(sig)

    # OffsetFetch after the restart returns exactly what was acknowledged before it.
    fetched = group_committed(broker, group, topic)
    assert fetched == {p: committed[(topic, p)] for p in range(6)}, fetched

    phase_c = produce_keyed(broker, topic, 240, 90, "C")
    c, d = members.ck("c", group, [topic]), members.ck("d", group, [topic])
    wait_split([c, d], parts, JOIN_S, "(2 new members)")
    got = wait_consumed([c, d], {**phase_b, **phase_c}, CONSUME_S)
    assert_exactly_once(got, {**phase_b, **phase_c})
    # Everything produced was consumed by somebody, at least once overall.
    seen = {(t, p, o) for _, t, p, o, _, _ in consumed([a, b, c, d])}
    assert seen == {**phase_a, **phase_b, **phase_c}.keys()
    wait_committed([c, d], end_offsets({**phase_a, **phase_b, **phase_c}), CONSUME_S)
    for m in (c, d):
        assert not m.errors(), m.describe()


def test_ck_autocommit_members_ride_through_broker_crash(broker, topic, members):
    """Auto-commit members stay up while the broker is SIGKILLed and restarted: they carry on
    in their stored group (or rejoin it), every record is seen at least once, records produced
    after the restart are consumed, and the auto-commits catch up with the end of the log again."""
    group = f"g-{topic}"
    parts = all_partitions([topic])
    ms = [members.ck(n, group, [topic], commit="auto") for n in ("a", "b")]
    wait_split(ms, parts, JOIN_S, "(2 members)")
    before = produce_keyed(broker, topic, 0, 120, "before")
    wait_consumed(ms, before, CONSUME_S)
    assigns_before = sum(len(m.assigns()) for m in ms)

    broker.restart(signal.SIGKILL)
    after = produce_keyed(broker, topic, 120, 120, "after")
    wait_consumed(ms, after, CONSUME_S + SESSION_MS / 1000)
    wait_split(ms, parts, JOIN_S, "(after the broker restart)")
    seen = {(t, p, o) for _, t, p, o, _, _ in consumed(ms)}
    assert seen == {**before, **after}.keys()
    end = end_offsets({**before, **after})
    wait_until(lambda: group_committed(broker, group, topic) == {p: end[(topic, p)] for p in range(6)},
               CONSUME_S, "auto-commits to reach the end offsets after the restart")
    print("assign events before/after restart:", assigns_before, sum(len(m.assigns()) for m in ms))


def test_ck_group_membership_survives_broker_sigkill(broker, topic, members):
    """kaffeed keeps classic groups' membership durable (internal log classic-groups): two
    manual-commit members ride through a SIGKILL and restart of the broker without a
    rebalance -- the same member ids afterwards, no new assignment, every record consumed
    exactly once by its partition's owner and committed."""
    from confluent_kafka.admin import AdminClient

    group = f"g-{topic}"
    parts = all_partitions([topic])
    # A session long enough that librdkafka does not give up on the group while kaffeed restarts.
    ms = [members.ck(n, group, [topic], session_ms=10_000) for n in ("a", "b")]
    owners = wait_split(ms, parts, JOIN_S, "(2 members)")
    before = produce_keyed(broker, topic, 0, 120, "before")
    wait_consumed(ms, before, CONSUME_S)
    wait_committed(ms, end_offsets(before), CONSUME_S)

    def member_ids():
        admin = AdminClient(ck_common(broker))
        described = admin.describe_consumer_groups([group], request_timeout=10)[group].result(15)
        return described.state.name, {m.client_id: m.member_id for m in described.members}

    state, ids_before = member_ids()
    assert state == "STABLE" and set(ids_before) == {"ck-a", "ck-b"}, (state, ids_before)
    assigns_before = [len(m.assigns()) for m in ms]

    broker.restart(signal.SIGKILL)
    assert " classic group(s)" in broker.log_text(), broker.log_tail()   # "loaded N classic group(s)"
    after = produce_keyed(broker, topic, 120, 120, "after")
    everything = {**before, **after}
    got = wait_consumed(ms, everything, CONSUME_S)
    assert_exactly_once(got, everything, owners)
    wait_committed(ms, end_offsets(everything), CONSUME_S)
    assert group_committed(broker, group, topic) == {p: o for (_, p), o in end_offsets(everything).items()}

    assert [len(m.assigns()) for m in ms] == assigns_before, "a rebalance happened:\n" + members.describe()
    assert member_ids() == ("STABLE", ids_before)
    assert f"group {group}: rebalance" not in broker.log_text(), broker.log_tail()
    assert all(not m.errors() or all(e["ev"] == "error" for e in m.errors()) for m in ms), members.describe()


# ---------------------------------------------------------------- 4. kafka-python members

@pytest.mark.parametrize("assignor", ["range", "roundrobin"])
def test_kafka_python_group_two_members(broker, topic, members, assignor):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    a = members.kp("a", group, [topic], assignor=assignor)
    b = members.kp("b", group, [topic], assignor=assignor)
    owners = wait_split([a, b], parts, JOIN_S, "(2 kafka-python members)")
    assert sorted(len(x) for x in owners.values()) == [3, 3], owners
    if assignor == "roundrobin":   # members sorted by id take alternate partitions
        for x in owners.values():
            ps = sorted(p for _, p in x)
            assert ps in ([0, 2, 4], [1, 3, 5]), owners
    else:
        for x in owners.values():
            ps = sorted(p for _, p in x)
            assert ps in ([0, 1, 2], [3, 4, 5]), owners

    one = produce_keyed(broker, topic, 0, 240, "one")
    got = wait_consumed([a, b], one, CONSUME_S)
    assert_exactly_once(got, one, owners)
    assert a.records() and b.records()
    wait_committed([a, b], end_offsets(one), CONSUME_S)
    assert group_committed(broker, group, topic) == {p: end_offsets(one)[(topic, p)] for p in range(6)}

    # One member leaves cleanly (LeaveGroup): the other one takes everything over and
    # continues from the committed offsets.
    b.stop()
    wait_split([a], parts, JOIN_S, "(after b left)")
    two = produce_keyed(broker, topic, 240, 120, "two")
    got = wait_consumed([a], two, CONSUME_S)
    assert_exactly_once(consumed([a, b]), {**one, **two})
    assert not a.errors(), a.describe()


# ---------------------------------------------------------------- 5. aiokafka

def test_aiokafka_group_consume_and_commit(broker, topic):
    import asyncio

    from aiokafka import AIOKafkaConsumer
    from aiokafka import TopicPartition as AKTP
    from kafka import KafkaAdminClient
    from kafka import TopicPartition as KPTP

    group = f"g-{topic}"
    expected, ends = {}, {}

    def make(name):
        return AIOKafkaConsumer(topic, bootstrap_servers=broker.bootstrap, group_id=group,
                                client_id=f"ak-{name}", enable_auto_commit=False,
                                auto_offset_reset="earliest", session_timeout_ms=SESSION_MS,
                                heartbeat_interval_ms=300, request_timeout_ms=10000,
                                fetch_max_wait_ms=100, retry_backoff_ms=50, check_crcs=True)

    async def body():
        loop = asyncio.get_running_loop()
        c1, c2 = make("one"), make("two")
        await c1.start()
        await c2.start()
        try:
            got = {"one": [], "two": []}
            owners = {}

            async def pump(name, c):
                batches = await c.getmany(timeout_ms=100)
                for tp, recs in batches.items():
                    for r in recs:
                        got[name].append((name, r.topic, r.partition, r.offset, r.key.decode(), r.value.decode()))
                    # commit-after-process, with the generation of the current assignment
                    await c.commit({tp: recs[-1].offset + 1})

            def split():
                o = {"one": {(t.topic, t.partition) for t in c1.assignment()},
                     "two": {(t.topic, t.partition) for t in c2.assignment()}}
                return o if o["one"] and o["two"] and not o["one"] & o["two"] else None

            deadline = loop.time() + JOIN_S
            while not (owners := split()):
                await pump("one", c1)
                await pump("two", c2)
                assert loop.time() < deadline, "aiokafka consumers did not split the partitions"
            assert not got["one"] and not got["two"]
            expected.update(await asyncio.to_thread(produce_keyed, broker, topic, 0, 180, "ak"))
            deadline = loop.time() + CONSUME_S
            while len(got["one"]) + len(got["two"]) < len(expected):
                await pump("one", c1)
                await pump("two", c2)
                assert loop.time() < deadline, (len(got["one"]), len(got["two"]), owners)
            assert split() == owners
            ends.update(end_offsets(expected))
            all_got = got["one"] + got["two"]
            assert_exactly_once(all_got, expected, owners)
            assert owners["one"] | owners["two"] == all_partitions([topic]), owners
            # aiokafka's own OffsetFetch
            for p in range(6):
                assert await c1.committed(AKTP(topic, p)) == ends[(topic, p)], p
        finally:
            await c1.stop()
            await c2.stop()

    asyncio.run(asyncio.wait_for(body(), JOIN_S + CONSUME_S + 10))

    # The commits are visible to other clients (OffsetFetch from librdkafka and kafka-python).
    assert group_committed(broker, group, topic) == {p: ends[(topic, p)] for p in range(6)}
    admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000)
    try:
        offsets = admin.list_group_offsets(group)[group]
        assert {tp: om.offset for tp, om in offsets.items()} == \
            {KPTP(topic, p): ends[(topic, p)] for p in range(6)}, offsets
    finally:
        admin.close()


# ---------------------------------------------------------------- 6. admin APIs

def test_admin_list_describe_offsets_delete(broker, topic, members):
    from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
    from confluent_kafka import ConsumerGroupState
    from confluent_kafka.admin import AdminClient
    from kafka import KafkaAdminClient
    from kafka import TopicPartition as KPTP

    group = f"g-{topic}"
    solo = f"solo-{topic}"
    parts = all_partitions([topic])
    a, b = members.ck("a", group, [topic]), members.ck("b", group, [topic])
    owners = wait_split([a, b], parts, JOIN_S, "(2 members)")
    data = produce_keyed(broker, topic, 0, 120, "adm")
    wait_consumed([a, b], data, CONSUME_S)
    ends = end_offsets(data)
    wait_committed([a, b], ends, CONSUME_S)

    # A group that only holds offsets: a standalone consumer commits without joining.
    c = Consumer(dict(ck_common(broker), **{"group.id": solo, "enable.auto.commit": False}))
    try:
        c.commit(offsets=[TopicPartition(topic, 4, 7)], asynchronous=False)
    finally:
        c.close()

    kp = KafkaAdminClient(bootstrap_servers=broker.bootstrap, client_id="kp-admin", request_timeout_ms=10000)
    ck = AdminClient(ck_common(broker))
    try:
        # ---- kafka-python
        listed = {g["group_id"]: g for g in kp.list_groups()}
        assert listed[group]["protocol_type"] == "consumer" and listed[group]["group_state"] == "Stable", listed
        assert listed[solo]["protocol_type"] == "" and listed[solo]["group_state"] == "Empty", listed
        stable = [g["group_id"] for g in kp.list_groups(states_filter=["Stable"])]
        assert group in stable and solo not in stable, stable

        desc = kp.describe_groups([group])[group]
        assert desc["error"] is None and desc["group_state"] == "Stable", desc
        assert desc["protocol_type"] == "consumer" and desc["protocol_data"] == "range", desc
        by_client = {m["client_id"]: m for m in desc["members"]}
        assert sorted(by_client) == ["ck-a", "ck-b"], desc
        for name in ("a", "b"):
            m = by_client[f"ck-{name}"]
            assert m["member_id"].startswith(f"ck-{name}-"), m
            assert m["member_metadata"]["topics"] == [topic], m
            got = {(x["topic"], p) for x in m["member_assignment"]["assigned_partitions"] for p in x["partitions"]}
            assert got == owners[name], (name, m, owners)

        offsets = kp.list_group_offsets(group)[group]
        assert {tp: om.offset for tp, om in offsets.items()} == {KPTP(t, p): o for (t, p), o in ends.items()}
        assert {tp: om.offset for tp, om in kp.list_group_offsets(solo)[solo].items()} == {KPTP(topic, 4): 7}

        # ---- confluent-kafka
        res = ck.list_consumer_groups(request_timeout=10).result(15)
        assert not res.errors, res.errors
        cl = {g.group_id: g for g in res.valid}
        assert cl[group].state == ConsumerGroupState.STABLE and not cl[group].is_simple_consumer_group
        assert cl[solo].state == ConsumerGroupState.EMPTY and cl[solo].is_simple_consumer_group
        cd = ck.describe_consumer_groups([group], request_timeout=10)[group].result(15)
        assert cd.state == ConsumerGroupState.STABLE and cd.partition_assignor == "range"
        assert {m.client_id: {(tp.topic, tp.partition) for tp in m.assignment.topic_partitions}
                for m in cd.members} == {f"ck-{n}": owners[n] for n in ("a", "b")}

        # ---- DeleteGroups: a group with members cannot be deleted
        assert kp.delete_groups([group]) == {group: "NonEmptyGroupError"}
        with pytest.raises(KafkaException) as ei:
            ck.delete_consumer_groups([group], request_timeout=10)[group].result(15)
        assert ei.value.args[0].code() == KafkaError.NON_EMPTY_GROUP

        a.stop()
        b.stop()   # LeaveGroup: no members left, the offsets stay
        wait_until(lambda: kp.describe_groups([group])[group]["group_state"] == "Empty", 10, "group to be Empty")
        assert kp.describe_groups([group])[group]["members"] == []
        assert {tp: om.offset for tp, om in kp.list_group_offsets(group)[group].items()} == \
            {KPTP(t, p): o for (t, p), o in ends.items()}

        assert ck.delete_consumer_groups([group], request_timeout=10)[group].result(15) is None
        assert kp.delete_groups([solo]) == {solo: "OK"}
        left = {g["group_id"] for g in kp.list_groups()}
        assert group not in left and solo not in left, left
        assert kp.list_group_offsets(group)[group] == {}
        assert group_committed(broker, group, topic) == {p: -1001 for p in range(6)}  # OFFSET_INVALID
        assert kp.delete_groups([group]) == {group: "GroupIdNotFoundError"}
        assert kp.describe_groups([group])[group]["group_state"] == "Dead"
    finally:
        kp.close()


# ---------------------------------------------------------------- 7. static membership

STATIC_SESSION_MS = 8000   # the restarted process must be back within this


@pytest.mark.parametrize("who,how", [("leader", "sigkill"), ("follower", "close")])
def test_ck_static_member_restart_gets_same_partitions(broker, topic, members, who, how):
    group = f"g-{topic}"
    parts = all_partitions([topic])
    kw = dict(session_ms=STATIC_SESSION_MS)
    a = members.ck("a", group, [topic], instance_id="inst-a", **kw)
    wait_split([a], parts, JOIN_S, "(a alone, so a leads the group)")
    b = members.ck("b", group, [topic], instance_id="inst-b", **kw)
    owners = wait_split([a, b], parts, JOIN_S, "(2 static members)")
    one = produce_keyed(broker, topic, 0, 120, "one")
    wait_consumed([a, b], one, CONSUME_S)
    wait_committed([a, b], end_offsets(one), CONSUME_S)

    gone, other = (a, b) if who == "leader" else (b, a)
    other_assigns = len(other.assigns())
    other_revokes = other.count("revoke")
    if how == "sigkill":
        gone.kill()
    else:
        gone.stop()   # a static member's close() sends no LeaveGroup
    restarted_at = time.monotonic()
    back = members.ck(f"{gone.name}2", group, [topic], instance_id=f"inst-{gone.name}", **kw)
    wait_until(lambda: back.assignment() or not back.alive, JOIN_S, "the restarted static member's assignment")
    took = time.monotonic() - restarted_at
    assert back.assignment() == owners[gone.name], (back.describe(), owners)
    assert took < STATIC_SESSION_MS / 1000, f"took {took:.1f}s: only after the old session expired?"

    # No rebalance: the other member kept its partitions all along.
    two = produce_keyed(broker, topic, 120, 120, "two")
    got = wait_consumed([other, back], two, CONSUME_S)
    assert other.assignment() == owners[other.name]
    assert (len(other.assigns()), other.count("revoke")) == (other_assigns, other_revokes), other.describe()
    assert back.assigns() == [owners[gone.name]], back.describe()
    # The restarted member continued from the committed offsets of its partitions.
    assert_exactly_once(consumed([a, b, back]), {**one, **two})
    assert_owned(consumed([other, back]), two.keys(), {other.name: owners[other.name], back.name: owners[gone.name]})

    # The group shows the two static members with their instance ids.
    from kafka import KafkaAdminClient
    kp = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000)
    try:
        desc = kp.describe_groups([group])[group]
    finally:
        kp.close()
    assert desc["group_state"] == "Stable", desc
    # (Like Kafka, the broker keeps the replaced static member's client id; its member id is new.)
    assert sorted((m["group_instance_id"], m["member_id"].rsplit("-", 1)[0]) for m in desc["members"]) == \
        sorted([(f"inst-{other.name}", f"ck-{other.name}"), (f"inst-{gone.name}", f"ck-{back.name}")]), desc


# ---------------------------------------------------------------- 8. lag

def test_lag_from_committed_offsets_and_high_watermarks(broker, topic, members):
    from confluent_kafka import Consumer, TopicPartition
    from kafka import KafkaAdminClient, KafkaConsumer
    from kafka import TopicPartition as KPTP

    group = f"g-{topic}"
    first = {0: 10, 1: 3, 2: 7, 3: 1, 4: 12, 5: 0}     # consumed and committed
    second = {0: 4, 1: 0, 2: 9, 3: 2, 4: 1, 5: 6}      # produced afterwards: the lag
    m = members.ck("a", group, [topic])
    wait_split([m], all_partitions([topic]), JOIN_S)
    one = produce_to_partitions(broker, topic, first, "one")
    wait_consumed([m], one, CONSUME_S)
    wait_committed([m], end_offsets(one), CONSUME_S)
    m.stop()
    produce_to_partitions(broker, topic, second, "two")

    expected_lag = {p: second[p] for p in range(6) if first[p]}
    # confluent-kafka: committed() (OffsetFetch) and get_watermark_offsets() (ListOffsets)
    c = Consumer(dict(ck_common(broker), **{"group.id": group, "enable.auto.commit": False}))
    try:
        committed = {tp.partition: tp.offset for tp in
                     c.committed([TopicPartition(topic, p) for p in range(6)], timeout=10)}
        marks = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10) for p in range(6)}
    finally:
        c.close()
    assert marks == {p: (0, first[p] + second[p]) for p in range(6)}, marks
    assert committed == {p: first[p] if first[p] else -1001 for p in range(6)}, committed
    lag = {p: marks[p][1] - committed[p] for p in range(6) if committed[p] >= 0}
    assert lag == expected_lag

    # kafka-python: admin list_group_offsets and consumer end_offsets
    kp = KafkaAdminClient(bootstrap_servers=broker.bootstrap, request_timeout_ms=10000)
    kc = KafkaConsumer(bootstrap_servers=broker.bootstrap, group_id=None, request_timeout_ms=10000)
    try:
        offs = kp.list_group_offsets(group)[group]
        ends = kc.end_offsets([KPTP(topic, p) for p in range(6)])
    finally:
        kp.close()
        kc.close()
    assert {tp.partition: ends[tp] - om.offset for tp, om in offs.items()} == expected_lag
