"""ACLs enforced on the group, offset and transaction APIs, with confluent-kafka (librdkafka)
logging in over SASL_PLAINTEXT to kaffeed started with ``--authorizer acl --super-users
User:admin``.

The admin grants alice READ and DESCRIBE on topic ``t1`` and READ on group ``g1``: a consumer
as alice in ``g1`` reads and commits; in ``g2`` it gets GROUP_AUTHORIZATION_FAILED; a
transactional producer as alice without WRITE on its transactional id gets
TRANSACTIONAL_ID_AUTHORIZATION_FAILED."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import (AclBinding, AclOperation, AclPermissionType, AdminClient, NewTopic,
                                   ResourcePatternType, ResourceType)

from conftest import _LIVE_BROKERS, SaslBroker, _finish
from kafkahelpers import ck_common

USERS = {"admin": "admin-secret", "alice": "alice-secret"}


def client_conf(secured, user, **extra):
    conf = ck_common(secured.broker)
    conf.update({"bootstrap.servers": secured.sasl_bootstrap, "security.protocol": "SASL_PLAINTEXT",
                 "sasl.mechanism": "PLAIN", "sasl.username": user, "sasl.password": USERS[user]})
    conf.update(extra)
    return conf


@pytest.fixture(scope="module")
def secured(tmp_path_factory):
    s = SaslBroker(tmp_path_factory.mktemp("authz-groups"), USERS, ["--authorizer", "acl", "--super-users", "User:admin"])
    s.broker.start()
    _LIVE_BROKERS.append(s.broker)
    admin = AdminClient(client_conf(s, "admin"))
    for future in admin.create_topics([NewTopic("t1", num_partitions=1, replication_factor=1)]).values():
        future.result(timeout=15)

    def allow(restype, name, operation):
        return AclBinding(restype, name, ResourcePatternType.LITERAL, "User:alice", "*", operation, AclPermissionType.ALLOW)

    grants = [allow(ResourceType.TOPIC, "t1", AclOperation.READ), allow(ResourceType.TOPIC, "t1", AclOperation.DESCRIBE),
              allow(ResourceType.GROUP, "g1", AclOperation.READ)]
    for future in admin.create_acls(grants).values():
        future.result(timeout=15)
    producer = Producer(client_conf(s, "admin"))
    for i in range(3):
        producer.produce("t1", value=f"v{i}".encode())
    assert producer.flush(15) == 0
    yield s
    _finish(s.broker)


def consumer_as_alice(secured, group):
    return Consumer(client_conf(secured, "alice", **{"group.id": group, "auto.offset.reset": "earliest", "enable.auto.commit": False}))


def test_alice_reads_and_commits_in_her_group(secured):
    consumer = consumer_as_alice(secured, "g1")
    consumer.subscribe(["t1"])
    got = []
    deadline = time.monotonic() + 30
    while len(got) < 3 and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None:
            assert not msg.error(), msg.error()
            got.append(msg.value())
    assert got == [b"v0", b"v1", b"v2"]
    consumer.commit(asynchronous=False)
    committed = consumer.committed([TopicPartition("t1", 0)], timeout=15)
    assert committed[0].offset == 3
    consumer.close()


def test_alice_is_refused_another_group(secured):
    consumer = consumer_as_alice(secured, "g2")
    consumer.subscribe(["t1"])
    error = None
    deadline = time.monotonic() + 30
    while error is None and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and msg.error():
            error = msg.error()
        assert msg is None or msg.error(), "a consumer outside its group's ACLs must not receive records"
    consumer.close()
    assert error is not None and error.code() == KafkaError.GROUP_AUTHORIZATION_FAILED, error


def test_transactional_producer_without_write_on_its_id_is_refused(secured):
    producer = Producer(client_conf(secured, "alice", **{"transactional.id": "alice-tx"}))
    with pytest.raises(KafkaException) as raised:
        producer.init_transactions(15)
    assert raised.value.args[0].code() == KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, raised.value.args[0]
