"""Static members that close without leaving expire after their session timeout, as on Kafka.

The flow of librdkafka's own admin test (tests/0081-admin.c, DescribeConsumerGroups): three
consumers with `group.instance.id` and `session.timeout.ms` 5000, each in a group of its own,
subscribe and consume one after the other, each group is Stable with its member, they close
(a static member's close() sends no LeaveGroup), and one second after their session timeout
DeleteGroups succeeds for all three: Kafka has expired the members and the groups are Empty."""

import time

from confluent_kafka import Consumer, ConsumerGroupState, KafkaError, KafkaException
from confluent_kafka.admin import AdminClient

from grouphelpers import create_topic, produce_keyed
from kafkahelpers import ck_common, wait_until

# Kafka's defaults but for the minimum session timeout, which must allow the test's 5 s (as on
# the brokers librdkafka's tests run against).
BROKER_ARGS = ["--group-min-session-timeout-ms", "5000"]

SESSION_MS = 5000
MEMBERS = 3
MSGS = 100


def test_static_members_closed_without_leaving_expire_and_the_group_can_be_deleted(broker, topic_name):
    topic = topic_name
    groups = [f"g{i}-{topic}" for i in range(MEMBERS)]
    create_topic(broker, topic, 1)
    produce_keyed(broker, topic, 0, MSGS, "r")

    consumers = []
    try:
        for i in range(MEMBERS):
            conf = ck_common(broker)
            conf.update({"group.id": groups[i], "group.instance.id": f"inst-{i}",
                         "client.id": f"static-{i}", "session.timeout.ms": SESSION_MS,
                         "auto.offset.reset": "earliest"})
            c = Consumer(conf)
            c.subscribe([topic])
            consumers.append(c)
            # Each one consumes before the next starts (as 0081-admin.c does); the others are
            # served on librdkafka's background threads meanwhile.
            deadline = time.monotonic() + 30
            got = 0
            while got < MSGS:
                assert time.monotonic() < deadline, f"consumer {i} consumed {got} of {MSGS}"
                msg = c.poll(0.2)
                if msg is not None and not msg.error():
                    got += 1

        admin = AdminClient(ck_common(broker))

        def stable():
            futures = admin.describe_consumer_groups(groups, request_timeout=10)
            ds = [futures[g].result(15) for g in groups]
            return all(d.state == ConsumerGroupState.STABLE and len(d.members) == 1 for d in ds)
        wait_until(stable, 30, "each group Stable with its static member", interval=0.2)
    finally:
        for c in consumers:
            c.close()   # static members: no LeaveGroup
    closed_at = time.monotonic()

    def delete_errors():
        futures = admin.delete_consumer_groups(groups, request_timeout=10)
        errors = {}
        for g in groups:
            try:
                futures[g].result(15)
            except KafkaException as e:
                errors[g] = e.args[0].code()
        return errors

    # A static member's close() is no LeaveGroup: the members stay until their session times out.
    assert delete_errors() == {g: KafkaError.NON_EMPTY_GROUP for g in groups}
    time.sleep(max(0.0, closed_at + SESSION_MS / 1000 + 1 - time.monotonic()))
    started = time.monotonic()
    errors = delete_errors()
    assert not errors, (errors, broker.log_tail())
    print(f"DeleteGroups {started - closed_at:.1f}s after the last close: OK")
