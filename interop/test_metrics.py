"""kaffeed's Prometheus endpoint on a real process: produce N records with confluent-kafka,
consume and commit them in a group, then scrape `/metrics` on the HTTP port and check that the
per-topic counters moved by exactly N, the group's lag reads 0 after the commit and N after N
more records, Produce requests were counted, the fsync histogram is there, and that
`promtool check metrics` accepts the scrape.
"""

from __future__ import annotations

import re
import subprocess
import urllib.request
import uuid

from conftest import free_port
from kafkahelpers import ck_common, ck_producer, wait_until

HTTP_PORT = free_port()
BROKER_ARGS = ["--http-listen", f"127.0.0.1:{HTTP_PORT}", "--default-partitions", "1",
               "--group-initial-rebalance-delay-ms", "0", "--metrics", "true"]

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape() -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{HTTP_PORT}/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return r.read().decode()


def parse(text: str) -> list[tuple[str, dict[str, str], float]]:
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        assert m, f"unparsable sample line: {line!r}"
        labels = dict(_LABEL.findall(m.group(3) or ""))
        samples.append((m.group(1), labels, float(m.group(4))))
    return samples


def value(text: str, name: str, **labels: str) -> float | None:
    """The sum of the samples of `name` whose labels include `labels` (None if there is none)."""
    found = [v for n, l, v in parse(text) if n == name and all(l.get(k) == w for k, w in labels.items())]
    return sum(found) if found else None


def produce(broker, topic: str, n: int, start: int = 0) -> None:
    p = ck_producer(broker)
    for i in range(start, start + n):
        p.produce(topic, key=f"k{i}".encode(), value=f"value-{i}".encode() * 3)
    assert p.flush(20) == 0


def promtool_check(text: str) -> subprocess.CompletedProcess:
    return subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True, timeout=30)


def test_metrics_count_traffic_lag_and_pass_promtool(broker):
    from confluent_kafka import Consumer
    topic = f"metrics-{uuid.uuid4().hex[:8]}"
    group = f"metrics-group-{uuid.uuid4().hex[:8]}"
    n = 50
    before = scrape()
    produce_before = value(before, "kaffee_requests_total", api="Produce") or 0
    produce(broker, topic, n)

    conf = ck_common(broker)
    conf.update({"group.id": group, "enable.auto.commit": False, "auto.offset.reset": "earliest",
                 "fetch.wait.max.ms": 200, "session.timeout.ms": 6000})
    consumer = Consumer(conf)
    consumer.subscribe([topic])
    got = 0
    deadline_polls = 300
    while got < n and deadline_polls > 0:
        msg = consumer.poll(0.2)
        deadline_polls -= 1
        if msg is None or msg.error():
            continue
        got += 1
    assert got == n
    consumer.commit(asynchronous=False)

    text = scrape()
    assert value(text, "kaffee_topic_records_in_total", topic=topic) == n
    assert value(text, "kaffee_topic_bytes_in_total", topic=topic) > 0
    assert value(text, "kaffee_topic_records_out_total", topic=topic) >= n
    assert value(text, "kaffee_topic_bytes_out_total", topic=topic) > 0
    assert value(text, "kaffee_partition_log_end_offset", topic=topic, partition="0") == n
    assert value(text, "kaffee_group_committed_offset", group=group, topic=topic, partition="0") == n
    assert value(text, "kaffee_group_lag", group=group, topic=topic, partition="0") == 0
    assert value(text, "kaffee_group_state", group=group, state="Stable") == 1, \
        [l for l in text.splitlines() if group in l]
    assert value(text, "kaffee_group_members", group=group) == 1
    assert value(text, "kaffee_requests_total", api="Produce") > produce_before
    assert value(text, "kaffee_requests_total", api="Fetch") > 0
    assert value(text, "kaffee_request_total_seconds_count", api="Produce") > produce_before
    assert value(text, "kaffee_connections", listener="PLAINTEXT") >= 1
    assert value(text, "kaffee_connections_accepted_total", listener="PLAINTEXT") >= 2
    assert value(text, "kaffee_build_info") == 1
    assert value(text, "kaffee_uptime_seconds") > 0

    # The default durability (interval:100) syncs in the background: the histogram fills up.
    wait_until(lambda: (value(scrape(), "kaffee_log_fsync_seconds_count", kind="file") or 0) > 0, 10,
               "an fdatasync to be counted")
    assert value(scrape(), 'kaffee_log_fsync_seconds_bucket', kind="file", le="+Inf") > 0

    produce(broker, topic, n, start=n)
    text = scrape()
    assert value(text, "kaffee_topic_records_in_total", topic=topic) == 2 * n
    assert value(text, "kaffee_group_lag", group=group, topic=topic, partition="0") == n
    consumer.close()

    checked = promtool_check(text)
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
