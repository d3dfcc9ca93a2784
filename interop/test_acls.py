"""ACL administration (KIP-140, KIP-290) with confluent-kafka's AdminClient: create_acls,
describe_acls (with ANY and MATCH filters) and delete_acls against kaffeed started with
``--authorizer acl``; an ACL acknowledged before a SIGKILL is still described after the
restart; a broker without an authorizer refuses with SECURITY_DISABLED, as Kafka's does.

On a PLAINTEXT listener the principal is User:ANONYMOUS; making it a super user lets the
admin client change ACLs (the ACL APIs need ALTER/DESCRIBE on the cluster, as in Kafka).
Enforcement on the other APIs is tested in test_authorization_topics.py and
test_authorization_groups.py."""

from __future__ import annotations

import signal

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import (AclBinding, AclBindingFilter, AclOperation, AclPermissionType,
                                   AdminClient, ResourcePatternType, ResourceType)

from kafkahelpers import ck_common

BROKER_ARGS = ["--authorizer", "acl", "--super-users", "User:ANONYMOUS"]


def admin(broker) -> AdminClient:
    return AdminClient(ck_common(broker))


def binding(name, pattern=ResourcePatternType.LITERAL, principal="User:alice", host="*",
            operation=AclOperation.READ, permission=AclPermissionType.ALLOW,
            restype=ResourceType.TOPIC) -> AclBinding:
    return AclBinding(restype, name, pattern, principal, host, operation, permission)


def filter_(restype=ResourceType.ANY, name=None, pattern=ResourcePatternType.ANY, principal=None,
            host=None, operation=AclOperation.ANY, permission=AclPermissionType.ANY) -> AclBindingFilter:
    return AclBindingFilter(restype, name, pattern, principal, host, operation, permission)


def describe(client, flt):
    return sorted(client.describe_acls(flt).result(timeout=15), key=str)


def create(client, bindings):
    for future in client.create_acls(bindings).values():
        future.result(timeout=15)


def test_create_describe_and_delete(broker):
    client = admin(broker)
    orders = binding("orders-acl")
    prefixed = binding("ord", ResourcePatternType.PREFIXED, principal="User:bob",
                       operation=AclOperation.WRITE, permission=AclPermissionType.DENY)
    group = binding("g-acl", restype=ResourceType.GROUP, operation=AclOperation.ALL)
    create(client, [orders, prefixed, group])

    assert describe(client, filter_()) == sorted([orders, prefixed, group], key=str)
    # MATCH: every ACL that applies to the topic orders-acl (the literal and the prefix).
    matching = filter_(ResourceType.TOPIC, "orders-acl", ResourcePatternType.MATCH)
    assert describe(client, matching) == sorted([orders, prefixed], key=str)
    assert describe(client, filter_(principal="User:bob")) == [prefixed]

    results = client.delete_acls([filter_(ResourceType.TOPIC, pattern=ResourcePatternType.PREFIXED)])
    deleted = [b for future in results.values() for b in future.result(timeout=15)]
    assert deleted == [prefixed]
    assert describe(client, filter_()) == sorted([orders, group], key=str)

    for future in client.delete_acls([filter_()]).values():
        future.result(timeout=15)
    assert describe(client, filter_()) == []


def test_invalid_creations_are_refused(broker):
    client = admin(broker)
    bad = binding("x", principal="User:alice", restype=ResourceType.BROKER)  # confluent calls CLUSTER (4) BROKER
    futures = client.create_acls([bad])
    with pytest.raises(KafkaException) as raised:
        futures[bad].result(timeout=15)
    assert raised.value.args[0].code() == KafkaError.INVALID_REQUEST
    assert "kafka-cluster" in raised.value.args[0].str()


def test_an_acl_survives_a_sigkill(broker):
    client = admin(broker)
    kept = binding("durable-acl", ResourcePatternType.PREFIXED, principal="User:carol", host="10.1.2.3",
                   operation=AclOperation.DESCRIBE_CONFIGS)
    create(client, [kept])
    del client
    broker.restart(signal.SIGKILL)
    assert describe(admin(broker), filter_(name="durable-acl")) == [kept]


def test_without_an_authorizer_the_apis_are_disabled(broker_factory):
    """Kafka's answer without an authorizer. librdkafka (2.16) does not surface DescribeAcls'
    top-level error (it returns an empty list), so kafka-python checks that one."""
    from kafka.admin import (ACLFilter, ACLOperation as KpOperation, ACLPermissionType as KpPermission,
                             ACLResourcePatternType, KafkaAdminClient, ResourcePatternFilter,
                             ResourceType as KpResourceType)
    from kafka.errors import SecurityDisabledError
    plain = broker_factory()
    one = binding("t")
    client = admin(plain)  # kept: a collected client cancels its futures
    with pytest.raises(KafkaException) as created:
        client.create_acls([one])[one].result(timeout=15)
    assert created.value.args[0].code() == KafkaError.SECURITY_DISABLED
    kp = KafkaAdminClient(bootstrap_servers=plain.bootstrap)
    try:
        everything = ACLFilter(principal=None, host=None, operation=KpOperation.ANY, permission_type=KpPermission.ANY,
                               resource_pattern=ResourcePatternFilter(KpResourceType.ANY, None, ACLResourcePatternType.ANY))
        with pytest.raises(SecurityDisabledError):
            kp.describe_acls(everything)
    finally:
        kp.close()
