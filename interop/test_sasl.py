"""SASL authentication (KIP-43/84/152) with real clients: confluent-kafka (librdkafka),
kafka-python, aiokafka and kcat log in to kaffeed's SASL_PLAINTEXT listener with PLAIN,
SCRAM-SHA-256 and SCRAM-SHA-512 and produce and consume; a wrong password, an unknown user and
a mechanism the listener does not offer are refused, and the broker carries on serving others.

kaffeed runs two listeners: PLAINTEXT on the fixture's port (where conftest waits) and
SASL_PLAINTEXT on another; users come from --sasl-users (hashed into the store at start)."""

from __future__ import annotations

import asyncio
import subprocess
import time

import pytest

from conftest import Broker, _LIVE_BROKERS, _finish, free_port
from kafkahelpers import ck_common

USERS = {"alice": "alice-secret", "bob": "b0b:with=odd,chars", "ops": "ops-pass"}
MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class SaslBroker:
    """kaffeed with a PLAINTEXT and a SASL_PLAINTEXT listener, `users` (name: password) and
    any `extra_args`."""

    def __init__(self, base, users_and_passwords=None, extra_args=()):
        users = base / "users.txt"
        users.write_text("".join(f"{name}:{password}\n" for name, password in (users_and_passwords or USERS).items()))
        data = base / "data"
        data.mkdir()
        self.broker = Broker(data, base)
        self.sasl_port = free_port()
        self.broker.extra_args = [
            "--listeners", f"PLAINTEXT://127.0.0.1:{self.broker.port},SASL_PLAINTEXT://127.0.0.1:{self.sasl_port}",
            "--sasl-users", str(users), "--default-partitions", "1", *extra_args]

    @property
    def sasl_bootstrap(self) -> str:
        return f"127.0.0.1:{self.sasl_port}"


@pytest.fixture(scope="module")
def sasl(tmp_path_factory):
    s = SaslBroker(tmp_path_factory.mktemp("sasl"))
    s.broker.start()
    _LIVE_BROKERS.append(s.broker)
    yield s
    _finish(s.broker)


def ck_sasl(sasl, mechanism, user, password, **extra):
    conf = ck_common(sasl.broker)
    conf.update({"bootstrap.servers": sasl.sasl_bootstrap, "security.protocol": "SASL_PLAINTEXT",
                 "sasl.mechanism": mechanism, "sasl.username": user, "sasl.password": password})
    conf.update(extra)
    return conf


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_confluent_kafka_logs_in_produces_and_consumes(sasl, mechanism, topic_name):
    from confluent_kafka import Consumer, Producer
    producer = Producer(ck_sasl(sasl, mechanism, "alice", USERS["alice"]))
    for i in range(5):
        producer.produce(topic_name, value=f"v{i}".encode())
    assert producer.flush(15) == 0
    consumer = Consumer(ck_sasl(sasl, mechanism, "bob", USERS["bob"], **{"group.id": f"g-{topic_name}",
                                                                          "auto.offset.reset": "earliest"}))
    consumer.subscribe([topic_name])
    got = []
    deadline = time.monotonic() + 20
    while len(got) < 5 and time.monotonic() < deadline:
        msg = consumer.poll(0.5)
        if msg is not None and not msg.error():
            got.append(msg.value())
    consumer.close()
    assert got == [f"v{i}".encode() for i in range(5)]


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kafka_python_logs_in(sasl, mechanism, topic_name):
    from kafka import KafkaConsumer, KafkaProducer
    common = dict(bootstrap_servers=sasl.sasl_bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
                  sasl_plain_username="ops", sasl_plain_password=USERS["ops"], request_timeout_ms=15000)
    producer = KafkaProducer(**common)
    producer.send(topic_name, b"hello").get(timeout=15)
    producer.close()
    consumer = KafkaConsumer(topic_name, auto_offset_reset="earliest", consumer_timeout_ms=10000, **common)
    assert [m.value for m in consumer][:1] == [b"hello"]
    consumer.close()


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_aiokafka_logs_in(sasl, mechanism, topic_name):
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    async def run():
        common = dict(bootstrap_servers=sasl.sasl_bootstrap, security_protocol="SASL_PLAINTEXT", sasl_mechanism=mechanism,
                      sasl_plain_username="alice", sasl_plain_password=USERS["alice"], request_timeout_ms=15000)
        producer = AIOKafkaProducer(**common)
        await producer.start()
        try:
            await producer.send_and_wait(topic_name, b"async-hello")
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(topic_name, auto_offset_reset="earliest", **common)
        await consumer.start()
        try:
            msg = await asyncio.wait_for(consumer.getone(), 15)
            return msg.value
        finally:
            await consumer.stop()

    assert asyncio.run(run()) == b"async-hello"


def kcat_sasl(sasl, mechanism, user, password, *args, input=None):
    cmd = ["kcat", "-b", sasl.sasl_bootstrap, "-X", "broker.address.family=v4", "-X", "security.protocol=SASL_PLAINTEXT",
           "-X", f"sasl.mechanisms={mechanism}", "-X", f"sasl.username={user}", "-X", f"sasl.password={password}",
           "-X", "socket.timeout.ms=10000", *args]
    res = subprocess.run(cmd, input=input, capture_output=True, timeout=60)
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    return res


@pytest.mark.parametrize("mechanism", MECHANISMS)
def test_kcat_logs_in(sasl, mechanism, topic_name):
    kcat_sasl(sasl, mechanism, "alice", USERS["alice"], "-P", "-t", topic_name, input=b"one\ntwo\n")
    out = kcat_sasl(sasl, mechanism, "bob", USERS["bob"], "-C", "-t", topic_name, "-o", "beginning", "-e", "-q").stdout
    assert out.split() == [b"one", b"two"]


@pytest.mark.parametrize("mechanism", MECHANISMS)
@pytest.mark.parametrize("user,password", [("alice", "wrong-password"), ("mallory", "anything")])
def test_a_bad_login_is_refused_with_an_authentication_error(sasl, mechanism, user, password, topic_name):
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient
    admin = AdminClient(ck_sasl(sasl, mechanism, user, password))
    with pytest.raises(KafkaException) as failure:
        admin.list_topics(timeout=3)
    # librdkafka reports the broker's SASL_AUTHENTICATION_FAILED (or gives up on the broker).
    assert "Authentication" in str(failure.value) or "AUTHENTICATION" in str(failure.value) \
        or "transport" in str(failure.value).lower(), str(failure.value)
    # An unknown user and a wrong password look the same from outside.
    log = sasl.broker.log_text()
    assert "authentication failed" in log.lower()


def test_a_mechanism_the_listener_does_not_offer_is_refused(sasl):
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient
    admin = AdminClient(ck_sasl(sasl, "OAUTHBEARER", "alice", USERS["alice"], **{"sasl.oauthbearer.config": "principal=alice",
                                                                               "enable.sasl.oauthbearer.unsecure.jwt": True}))
    with pytest.raises(KafkaException):
        admin.list_topics(timeout=3)
    assert "is not enabled" in sasl.broker.log_text()


def test_plaintext_listener_still_serves_without_login(sasl, topic_name):
    from confluent_kafka.admin import AdminClient
    admin = AdminClient(ck_common(sasl.broker))
    assert admin.list_topics(timeout=10).brokers, "the PLAINTEXT listener answers Metadata"
    # Metadata through the SASL listener names the SASL listener's address.
    from confluent_kafka.admin import AdminClient as Sasl
    md = Sasl(ck_sasl(sasl, "SCRAM-SHA-256", "alice", USERS["alice"])).list_topics(timeout=10)
    assert [(b.host, b.port) for b in md.brokers.values()] == [("127.0.0.1", sasl.sasl_port)]


def test_users_created_through_the_admin_api_survive_a_sigkill(sasl, topic_name):
    """confluent-kafka's AdminClient creates a user (AlterUserScramCredentials: salt and salted
    password from the client) and describes it; the credential is durable when acknowledged:
    after kaffeed is SIGKILLed and restarted the user logs in with both SCRAM mechanisms."""
    import signal
    from confluent_kafka import Producer
    from confluent_kafka.admin import (AdminClient, ScramCredentialInfo, ScramMechanism,
                                       UserScramCredentialUpsertion)
    admin = AdminClient(ck_sasl(sasl, "SCRAM-SHA-256", "ops", USERS["ops"]))
    upserts = [UserScramCredentialUpsertion("carol", ScramCredentialInfo(m, 4096), b"carol-pass")
               for m in (ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)]
    for future in admin.alter_user_scram_credentials(upserts).values():
        future.result(timeout=15)
    described = admin.describe_user_scram_credentials(["carol"])["carol"].result(timeout=15)
    assert sorted((i.mechanism, i.iterations) for i in described.scram_credential_infos) == \
        [(ScramMechanism.SCRAM_SHA_256, 4096), (ScramMechanism.SCRAM_SHA_512, 4096)]
    sasl.broker.restart(signal.SIGKILL)
    for mechanism in ("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"):
        producer = Producer(ck_sasl(sasl, mechanism, "carol", "carol-pass"))
        producer.produce(topic_name, value=mechanism.encode())
        assert producer.flush(15) == 0, mechanism
