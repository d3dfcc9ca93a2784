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
