"""ACLs enforced on the topic APIs with real clients: kaffeed runs ``--authorizer acl
--super-users User:admin`` with a PLAINTEXT and a SASL_PLAINTEXT listener. The admin (a super
user, logged in over SASL) creates topics t1 and t2 and grants alice WRITE and DESCRIBE on t1
only. As alice, confluent-kafka's Producer writes to t1 and is refused on t2 with
TOPIC_AUTHORIZATION_FAILED; list_topics and kcat -L show t1 and not t2 (Metadata leaves out
the topics alice may not DESCRIBE), as Kafka's broker answers."""

from __future__ import annotations

import subprocess

import pytest
from confluent_kafka import KafkaError, Producer
from confluent_kafka.admin import (AclBinding, AclOperation, AclPermissionType, AdminClient, NewTopic,
                                   ResourcePatternType, ResourceType)

from conftest import _LIVE_BROKERS, SaslBroker, _finish
from kafkahelpers import ck_common

USERS = {"admin": "admin-secret", "alice": "alice-secret", "bob": "bob-secret"}
MECHANISM = "SCRAM-SHA-256"


class AuthorizingBroker(SaslBroker):
    """conftest's SaslBroker (PLAINTEXT and SASL_PLAINTEXT listeners) with the ACL authorizer."""

    def __init__(self, base):
        super().__init__(base, USERS, ["--authorizer", "acl", "--super-users", "User:admin"])

    def conf(self, user, **extra) -> dict:
        conf = ck_common(self.broker)
        conf.update({"bootstrap.servers": self.sasl_bootstrap, "security.protocol": "SASL_PLAINTEXT",
                     "sasl.mechanism": MECHANISM, "sasl.username": user, "sasl.password": USERS[user]})
        conf.update(extra)
        return conf


@pytest.fixture(scope="module")
def authz(tmp_path_factory):
    a = AuthorizingBroker(tmp_path_factory.mktemp("authz-topics"))
    a.broker.start()
    _LIVE_BROKERS.append(a.broker)
    admin = AdminClient(a.conf("admin"))
    for future in admin.create_topics([NewTopic("t1", 1, 1), NewTopic("t2", 1, 1)]).values():
        future.result(timeout=15)
    grants = [AclBinding(ResourceType.TOPIC, "t1", ResourcePatternType.LITERAL, "User:alice", "*", operation,
                         AclPermissionType.ALLOW) for operation in (AclOperation.WRITE, AclOperation.DESCRIBE)]
    for future in admin.create_acls(grants).values():
        future.result(timeout=15)
    yield a
    _finish(a.broker)


def produce(authz, topic):
    """Produces one record as alice; returns the delivery error (None on success)."""
    outcome = []
    producer = Producer(authz.conf("alice", **{"message.timeout.ms": 10000, "enable.idempotence": False}))
    producer.produce(topic, value=b"hello", on_delivery=lambda err, msg: outcome.append(err))
    producer.flush(15)
    assert len(outcome) == 1, "the delivery report came back"
    return outcome[0]


def test_alice_produces_to_the_granted_topic_only(authz):
    assert produce(authz, "t1") is None
    error = produce(authz, "t2")
    assert error is not None and error.code() == KafkaError.TOPIC_AUTHORIZATION_FAILED, error


def test_list_topics_as_alice_shows_only_the_described_topic(authz):
    topics = AdminClient(authz.conf("alice")).list_topics(timeout=10).topics
    assert sorted(t for t in topics if not t.startswith("__")) == ["t1"]
    as_admin = AdminClient(authz.conf("admin")).list_topics(timeout=10).topics
    assert {"t1", "t2"} <= set(as_admin)


def test_kcat_metadata_as_alice_shows_only_the_described_topic(authz):
    cmd = ["kcat", "-b", authz.sasl_bootstrap, "-X", "broker.address.family=v4", "-X", "security.protocol=SASL_PLAINTEXT",
           "-X", f"sasl.mechanisms={MECHANISM}", "-X", "sasl.username=alice", "-X", f"sasl.password={USERS['alice']}",
           "-X", "socket.timeout.ms=10000", "-L", "-J"]
    res = subprocess.run(cmd, capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    import json
    listed = [t["topic"] for t in json.loads(res.stdout)["topics"]]
    assert listed == ["t1"], listed


def grant(authz, resource_type, name, *operations, principal="User:bob"):
    admin = AdminClient(authz.conf("admin"))
    bindings = [AclBinding(resource_type, name, ResourcePatternType.LITERAL, principal, "*", op, AclPermissionType.ALLOW)
                for op in operations]
    for future in admin.create_acls(bindings).values():
        future.result(timeout=15)


def test_without_acls_bob_can_do_nothing_and_each_grant_opens_just_that(authz):
    """bob, logged in but without ACLs, can neither see, create, write, read, commit nor delete;
    each ACL granted opens exactly its operation (as a Kafka user would see with confluent-kafka)."""
    from confluent_kafka import Consumer, KafkaException, TopicPartition

    admin = AdminClient(authz.conf("admin"))
    for future in admin.create_topics([NewTopic("bob-t", 1, 1)]).values():
        future.result(timeout=15)
    bob = AdminClient(authz.conf("bob"))

    def sees():
        return "bob-t" in bob.list_topics(timeout=10).topics

    def creates(name):
        try:
            bob.create_topics([NewTopic(name, 1, 1)])[name].result(timeout=15)
            return None
        except KafkaException as e:
            return e.args[0].code()

    def reads():
        consumer = Consumer(authz.conf("bob", **{"group.id": "bob-group", "enable.auto.commit": False}))
        try:
            consumer.assign([TopicPartition("bob-t", 0, 0)])
            deadline = __import__("time").monotonic() + 10
            while __import__("time").monotonic() < deadline:
                msg = consumer.poll(0.5)
                if msg is None:
                    continue
                if msg.error():
                    return msg.error().code()
                try:
                    consumer.commit(message=msg, asynchronous=False)
                    return "read+commit"
                except KafkaException as e:
                    return ("read", e.args[0].code())
            return "nothing"
        finally:
            consumer.close()

    def deletes():
        try:
            bob.delete_topics(["bob-t"])["bob-t"].result(timeout=15)
            return None
        except KafkaException as e:
            return e.args[0].code()

    def writes():
        producer = Producer(authz.conf("bob", **{"message.timeout.ms": 10000, "enable.idempotence": False}))
        outcome = []
        producer.produce("bob-t", value=b"from bob", on_delivery=lambda err, msg: outcome.append(err))
        producer.flush(15)
        assert len(outcome) == 1, "the delivery report came back"
        return None if outcome[0] is None else outcome[0].code()

    # Nothing without ACLs.
    assert not sees()
    assert creates("bob-new") == KafkaError.TOPIC_AUTHORIZATION_FAILED
    assert writes() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    # librdkafka asks for the group's coordinator first: the group refusal comes first.
    assert reads() in (KafkaError.GROUP_AUTHORIZATION_FAILED, KafkaError.TOPIC_AUTHORIZATION_FAILED)
    assert deletes() == KafkaError.TOPIC_AUTHORIZATION_FAILED

    # One grant at a time.
    grant(authz, ResourceType.TOPIC, "bob-t", AclOperation.DESCRIBE)
    assert sees()
    assert writes() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    grant(authz, ResourceType.TOPIC, "bob-t", AclOperation.WRITE)
    assert writes() is None
    grant(authz, ResourceType.GROUP, "bob-group", AclOperation.READ)
    assert reads() == KafkaError.TOPIC_AUTHORIZATION_FAILED, "the group alone does not open the topic"
    grant(authz, ResourceType.TOPIC, "bob-t", AclOperation.READ)
    assert reads() == "read+commit"
    assert creates("bob-new") == KafkaError.TOPIC_AUTHORIZATION_FAILED
    grant(authz, ResourceType.TOPIC, "bob-new", AclOperation.CREATE)
    assert creates("bob-new") is None
    assert deletes() == KafkaError.TOPIC_AUTHORIZATION_FAILED
    grant(authz, ResourceType.TOPIC, "bob-t", AclOperation.DELETE)
    assert deletes() is None
