"""The idempotent producer (InitProducerId + per-partition sequence dedup) with real clients,
while the broker is SIGKILLed and restarted mid-stream; producer state must survive restarts.

The broker runs with --durability always, so an acknowledged record is on disk even if the
machine lost power (a SIGKILL alone would not lose the page cache)."""

import signal
import threading
import time
from collections import Counter

import pytest

from grouphelpers import AckDroppingProxy, create_topic, free_port, idempotent_batch, raw_init_producer_id, raw_produce
from kafkahelpers import kcat, kcat_consume_all

BROKER_ARGS = ["--durability", "always", "--default-partitions", "2"]

PARTITIONS = 2
N = 3000                 # numbered records per stream
KILLS_AT = (0.2, 0.4, 0.6, 0.8)   # SIGKILL + restart when this share of the stream is acknowledged
WINDOW = 200            # at most this many records sent but not yet acknowledged
OUT_OF_ORDER_SEQUENCE_NUMBER = 45


def read_back(broker, topic):
    """{partition: [(offset, number)]} of every record in the topic (kcat, CRCs checked)."""
    out = {p: [] for p in range(PARTITIONS)}
    for r in kcat_consume_all(broker, topic):
        out[r.partition].append((r.offset, int(r.value.split(b"-")[1])))
    return out


def check_stream(broker, topic, acked: dict, failed: set):
    """acked = {number: (partition, offset reported to the client)}: every acknowledged number
    is in the log exactly where the client was told, no number appears twice, and within a
    partition numbers are in the order they were sent (idempotence keeps the order)."""
    log = read_back(broker, topic)
    counts = Counter(n for recs in log.values() for _, n in recs)
    dups = sorted(n for n, c in counts.items() if c > 1)
    assert not dups, f"{len(dups)} numbers appear twice, e.g. {dups[:10]}"
    where = {n: (p, o) for p, recs in log.items() for o, n in recs}
    missing = sorted(set(acked) - set(where))
    assert not missing, f"{len(missing)} acknowledged numbers are missing, e.g. {missing[:10]}"
    moved = [(n, acked[n], where[n]) for n in acked if acked[n] != where[n]]
    assert not moved, f"{len(moved)} acknowledged at another offset than stored, e.g. {moved[:5]}"
    for p, recs in log.items():
        assert [o for o, _ in recs] == list(range(len(recs))), f"partition {p}: offsets not contiguous"
        nums = [n for _, n in recs]
        assert nums == sorted(nums), f"partition {p}: numbers out of order"
        assert all(n % PARTITIONS == p for n in nums), f"partition {p}: a number from another partition"
    unknown = set(where) - set(acked) - failed
    assert not unknown, f"numbers in the log that the client neither acked nor failed: {sorted(unknown)[:10]}"
    return log


def stream_with_kills(broker, send, acked_count, total: int):
    """Calls send(i) for i in range(total) on a producer thread (about 1000 records/s) while
    the main thread SIGKILLs and restarts the broker each time acked_count() passes one of
    the KILLS_AT marks. Returns [(sent, acked)] at the moment of each kill."""
    sent = 0
    done = threading.Event()
    errors = []

    def run():
        nonlocal sent
        try:
            start = time.monotonic()
            for i in range(total):
                # An application with a bounded backlog: while the broker is down the stream
                # pauses instead of queueing everything, so every kill hits a live stream.
                while sent - acked_count() >= WINDOW:
                    time.sleep(0.002)
                    start += 0.002
                send(i)
                sent = i + 1
                ahead = start + i / 1000 - time.monotonic()
                if ahead > 0.005:
                    time.sleep(ahead)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            done.set()

    t = threading.Thread(target=run, name="producer-stream")
    t.start()
    at_kill = []
    try:
        for mark in KILLS_AT:
            deadline = time.monotonic() + 30
            while acked_count() < mark * total:
                assert time.monotonic() < deadline, f"stream stalled: sent {sent}, acked {acked_count()}"
                assert not done.is_set() or acked_count() < total, "stream ended before the kill"
                time.sleep(0.002)
            # Prefer a moment with records in flight (sent, not yet acknowledged).
            busy_deadline = time.monotonic() + 1.0
            while sent <= acked_count() and time.monotonic() < busy_deadline:
                time.sleep(0.0005)
            at_kill.append((sent, acked_count()))
            broker.restart(signal.SIGKILL)
    finally:
        t.join(60)
    assert not t.is_alive(), "producer thread hung"
    assert not errors, errors
    assert len(at_kill) == len(KILLS_AT)
    assert all(a < total for _, a in at_kill), f"the stream was over before a kill: {at_kill}"
    return at_kill


@pytest.fixture
def topic(broker, topic_name):
    create_topic(broker, topic_name, PARTITIONS)
    return topic_name


def test_raw_duplicates_are_detected_across_restarts(broker, topic):
    """Deterministic version of the race the client tests can only hope to hit: a batch that
    was appended but whose acknowledgement was lost is re-sent; also after SIGKILL/SIGTERM."""
    err, pid, epoch = raw_init_producer_id(broker)
    assert err == 0 and pid >= 0 and epoch == 0, (err, pid, epoch)
    err2, pid2, _ = raw_init_producer_id(broker)
    assert err2 == 0 and pid2 != pid, "InitProducerId must hand out a new producer id each time"

    b0 = idempotent_batch(pid, epoch, 0, [b"n-0", b"n-2", b"n-4"])
    b1 = idempotent_batch(pid, epoch, 3, [b"n-6", b"n-8"])
    assert raw_produce(broker, topic, 0, b0) == (0, 0)
    assert raw_produce(broker, topic, 0, b0) == (0, 0), "duplicate not answered with its original offset"
    assert raw_produce(broker, topic, 0, b1) == (0, 3)

    broker.restart(signal.SIGKILL)
    assert raw_produce(broker, topic, 0, b1) == (0, 3), "duplicate after a crash restart"
    assert raw_produce(broker, topic, 0, b0) == (0, 0), "older cached batch after a crash restart"
    gap = idempotent_batch(pid, epoch, 6, [b"n-99"])
    assert raw_produce(broker, topic, 0, gap)[0] == OUT_OF_ORDER_SEQUENCE_NUMBER
    b2 = idempotent_batch(pid, epoch, 5, [b"n-10"])
    assert raw_produce(broker, topic, 0, b2) == (0, 5)

    broker.restart(signal.SIGTERM)
    assert raw_produce(broker, topic, 0, b2) == (0, 5), "duplicate after a clean restart"
    assert raw_produce(broker, topic, 0, idempotent_batch(pid, epoch, 6, [b"n-12"])) == (0, 6)
    # Sequences are per partition: the same producer starts at 0 on partition 1.
    assert raw_produce(broker, topic, 1, idempotent_batch(pid, epoch, 0, [b"n-1"])) == (0, 0)

    log = read_back(broker, topic)
    assert log == {0: [(0, 0), (1, 2), (2, 4), (3, 6), (4, 8), (5, 10), (6, 12)], 1: [(0, 1)]}, log


def test_kafka_python_idempotent_producer_survives_broker_crashes(broker, topic):
    from kafka import KafkaProducer
    producer = KafkaProducer(bootstrap_servers=broker.bootstrap, client_id="kp-idem",
                             request_timeout_ms=5000, reconnect_backoff_ms=50,
                             reconnect_backoff_max_ms=300, retry_backoff_ms=50, linger_ms=2,
                             delivery_timeout_ms=60000)
    assert producer.config["enable_idempotence"] and producer.config["acks"] in (-1, "all")
    futures = {}
    lock = threading.Lock()
    acks = [0]

    def on_ack(_md):
        with lock:
            acks[0] += 1

    def send(i):
        futures[i] = producer.send(topic, value=b"n-%d" % i, partition=i % PARTITIONS)
        futures[i].add_callback(on_ack)

    def acked_count():
        return acks[0]

    try:
        print("sent/acked at the kills:", stream_with_kills(broker, send, acked_count, N))
        producer.flush(60)
    finally:
        producer.close(10)
    acked, failed = {}, {}
    for i, f in futures.items():
        assert f.is_done, i
        if f.succeeded():
            md = f.value
            acked[i] = (md.partition, md.offset)
        else:
            failed[i] = repr(f.exception)
    # The client retried through both crashes: nothing should have failed.
    assert not failed, f"{len(failed)} sends failed, e.g. {list(failed.items())[:3]}"
    check_stream(broker, topic, acked, set(failed))


def test_confluent_idempotent_producer_survives_broker_crashes(broker, topic):
    from confluent_kafka import Producer

    from kafkahelpers import ck_common
    conf = dict(ck_common(broker), **{"enable.idempotence": True, "linger.ms": 2,
                                      "message.timeout.ms": 60000, "retry.backoff.ms": 50,
                                      "socket.timeout.ms": 5000})
    producer = Producer(conf)
    acked, failed, fatal = {}, {}, []

    def cb(err, msg):
        i = int(msg.value().split(b"-")[1])
        if err is None:
            acked[i] = (msg.partition(), msg.offset())
        else:
            failed[i] = str(err)
            if err.fatal():
                fatal.append(str(err))

    def send(i):
        while True:
            try:
                producer.produce(topic, value=b"n-%d" % i, partition=i % PARTITIONS, on_delivery=cb)
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)

    def acked_count():
        producer.poll(0)   # serves delivery callbacks also after the producer thread is done
        return len(acked)

    print("sent/acked at the kills:", stream_with_kills(broker, send, acked_count, N))
    assert producer.flush(60) == 0
    assert not fatal, fatal
    assert not failed, f"{len(failed)} deliveries failed, e.g. {list(failed.items())[:3]}"
    assert len(acked) == N
    check_stream(broker, topic, acked, set(failed))


def test_kcat_idempotent_produce(broker, topic):
    lines = b"".join(b"n-%d\n" % i for i in range(0, 400, 2))
    kcat(broker, "-P", "-t", topic, "-p", "0", "-X", "enable.idempotence=true", "-X", "acks=all", input=lines)
    log = read_back(broker, topic)
    assert log[0] == [(o, 2 * o) for o in range(200)], log[0][:10]


@pytest.mark.parametrize("restart", ["no-restart", "sigkill"])
@pytest.mark.parametrize("client", ["kafka-python", "confluent-kafka"])
def test_lost_ack_is_retried_without_duplicate(broker_factory, topic_name, client, restart):
    """Deterministic lost acknowledgement with a real client: a proxy swallows one Produce
    response (the broker did append the batch) and cuts the connection; optionally the broker
    is SIGKILLed before the client may reconnect. The client's retry carries the same producer
    id and sequence, so the broker must answer it with the original offset instead of
    appending the record again."""
    proxy_port = free_port()
    b = broker_factory("--advertise", f"127.0.0.1:{proxy_port}", *BROKER_ARGS)
    proxy = AckDroppingProxy(proxy_port, b.port)
    try:
        create_topic(b, topic_name, PARTITIONS)
        bootstrap = f"127.0.0.1:{proxy_port}"
        if client == "kafka-python":
            from kafka import KafkaProducer
            producer = KafkaProducer(bootstrap_servers=bootstrap, client_id="kp-lost-ack",
                                     request_timeout_ms=10000, reconnect_backoff_ms=50,
                                     reconnect_backoff_max_ms=300, retry_backoff_ms=50,
                                     delivery_timeout_ms=60000)

            def send(i):
                return producer.send(topic_name, value=b"n-%d" % i, partition=0)

            def result(f):
                md = f.get(timeout=40)
                return md.partition, md.offset
        else:
            from confluent_kafka import Producer
            producer = Producer({"bootstrap.servers": bootstrap, "broker.address.family": "v4",
                                 "enable.idempotence": True, "linger.ms": 0,
                                 "message.timeout.ms": 60000, "retry.backoff.ms": 50,
                                 "reconnect.backoff.ms": 50, "reconnect.backoff.max.ms": 300})
            reports = {}

            def send(i):
                def cb(err, msg):
                    reports[i] = (err, msg.partition(), msg.offset())
                producer.produce(topic_name, value=b"n-%d" % i, partition=0, on_delivery=cb)
                return i

            def result(i):
                deadline = time.monotonic() + 40
                while i not in reports and time.monotonic() < deadline:
                    producer.poll(0.05)
                err, p, o = reports[i]
                assert err is None, err
                return p, o

        acked = {}
        for i in range(5):
            acked[i] = result(send(i))
        proxy.arm()
        pending = send(5)
        assert proxy.dropped.wait(15), "no Produce response went through the proxy"
        if restart == "sigkill":
            b.restart(signal.SIGKILL)
        proxy.release()
        acked[5] = result(pending)
        for i in range(6, 10):
            acked[i] = result(send(i))
        if client == "kafka-python":
            producer.close(10)
        else:
            assert producer.flush(10) == 0
    finally:
        proxy.close()
    assert acked == {i: (0, i) for i in range(10)}, acked
    log = read_back(b, topic_name)
    assert log[0] == [(i, i) for i in range(10)], f"partition 0 holds {log[0]} (a duplicate of n-5?)"
