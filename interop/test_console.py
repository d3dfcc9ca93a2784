"""The web console kaffeed serves on its HTTP port, loaded in headless Chromium.

Records whose keys, values and headers carry markup, JSON and non-UTF-8 bytes are produced,
a classic group consumes some and commits (so it lags), then the overview, topic, message
browser and group pages are rendered by Chromium (scripts run) and their DOM checked: the
data is there, markup shows as text, binary as hex, the lag is right, and the page script
logs no error. Bad inputs are checked over plain HTTP. Screenshots go to $INTEROP_ARTIFACTS
(default: the test's tmp dir)."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from conftest import Broker, _finish, free_port
from grouphelpers import create_topic
from kafkahelpers import ck_common, ck_producer, wait_until

HTTP_PORT = free_port()
BROKER_ARGS = ["--http-listen", f"127.0.0.1:{HTTP_PORT}", "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000"]
BASE = f"http://127.0.0.1:{HTTP_PORT}"
TOPIC = "console-demo"
GROUP = "console-group"
EVIL = "<script>alert(1)</script>"
RECORDS = 10
COMMITTED = 4


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("chromium is not installed: run scripts/install-test-deps (interop/run does)")
    return path


def browse(url: str, *extra: str) -> subprocess.CompletedProcess:
    """Runs headless Chromium on `url` with the page's scripts for 3 s of virtual time."""
    return subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--virtual-time-budget=3000", *extra, url],
                          capture_output=True, text=True, timeout=45)


def dump_dom(path: str) -> str:
    """The DOM after scripts ran; fails on script errors or CSP refusals in the browser log."""
    res = browse(BASE + path, "--enable-logging=stderr", "--v=0", "--dump-dom")
    problems = [line for line in res.stderr.splitlines()
                if "Uncaught" in line or "Content Security Policy" in line or ("CONSOLE" in line and "console.js" in line)]
    assert not problems, f"browser errors on {path}:\n" + "\n".join(problems)
    assert res.stdout.strip(), f"no DOM for {path}: {res.stderr[-2000:]}"
    return res.stdout


def http(path: str, data: dict | None = None, headers: dict | None = None, method: str | None = None, base: str = BASE):
    """(status, body text, headers) of one request; HTTP errors are answers too."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(base + path, data=body, headers=headers or {}, method=method)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=20) as res:
            return res.status, res.read().decode(), res.headers
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), e.headers


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    path = Path(os.environ.get("INTEROP_ARTIFACTS") or tmp_path_factory.mktemp("console-artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def data(broker):
    """The topic (2 partitions, records in partition 0) and a group that consumed and committed
    the first COMMITTED of them."""
    from confluent_kafka import Consumer, TopicPartition
    create_topic(broker, TOPIC, 2)
    producer = ck_producer(broker)
    values = [EVIL.replace("1", "2").encode(), b'{"order": 7, "items": ["<b>latte</b>"]}', b"\xff\x00\xfe\x80"]
    for i in range(RECORDS):
        key = EVIL.encode() if i == 0 else b"k%d" % i
        producer.produce(TOPIC, key=key, value=values[i % len(values)], partition=0, headers=[("h<i>", b"v<1>")])
    assert producer.flush(20) == 0
    consumer = Consumer({**ck_common(broker), "group.id": GROUP, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "session.timeout.ms": 3000, "heartbeat.interval.ms": 300})
    consumer.subscribe([TOPIC])
    got = []

    def consumed():
        msg = consumer.poll(0.5)
        if msg is not None and msg.error() is None:
            got.append(msg)
        return len(got) >= COMMITTED
    wait_until(consumed, 25, f"{COMMITTED} records consumed by {GROUP}")
    consumer.commit(offsets=[TopicPartition(TOPIC, 0, COMMITTED)], asynchronous=False)
    consumer.close()
    wait_until(lambda: "Empty" in http(f"/groups/{GROUP}")[1], 15, f"{GROUP} empty after its member left")
    return broker


def test_pages_render_in_chromium_with_data_escaped(data, artifacts):
    overview = dump_dom("/")
    assert "<h1>Overview</h1>" in overview
    assert 'id="live-status"' in overview and "updated " in overview, "the live script did not update the page"
    assert 'id="rate-recordsIn"' in overview

    topic = dump_dom(f"/topics/{TOPIC}")
    assert f"<h1>Topic {TOPIC}</h1>" in topic
    assert '<td class="num">10</td>' in topic, "partition 0's end offset"
    assert "DEFAULT_CONFIG" in topic

    messages = dump_dom(f"/topics/{TOPIC}/messages?partition=0&count=5")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in messages
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in messages
    assert "<script>alert(" not in messages
    assert "ff 00 fe 80" in messages, "non-UTF-8 values as hex"
    assert '"order": 7' in messages and "&lt;b&gt;latte&lt;/b&gt;" in messages, "JSON pretty-printed, markup as text"
    assert "<code>h&lt;i&gt;</code>: v&lt;1&gt;" in messages
    assert messages.count('<th scope="row" class="num">') == 5

    group = dump_dom(f"/groups/{GROUP}")
    assert f"<h1>Group {GROUP}</h1>" in group
    assert f'<dd id="total-lag">{RECORDS - COMMITTED}</dd>' in group
    assert f'<td class="num">{COMMITTED}</td><td class="num">{RECORDS}</td><td class="num">{RECORDS - COMMITTED}</td>' in group

    groups = dump_dom("/groups")
    assert f'<a href="/groups/{GROUP}">{GROUP}</a>' in groups

    for name, path in [("console-overview", "/"), ("console-messages", f"/topics/{TOPIC}/messages?partition=0")]:
        shot = artifacts / f"{name}.png"
        browse(BASE + path, f"--screenshot={shot}", "--window-size=1280,800")
        assert shot.exists() and shot.stat().st_size > 1000, f"no screenshot of {path}"


def test_overview_numbers_come_from_the_brokers_own_counters(data):
    """The charts' totals are kaffeed's traffic counters: every record produced is in, the
    group's fetches are out, and nothing is reported as unmeasured."""
    import json
    status, body, _ = http("/api/overview")
    assert status == 200, body
    overview = json.loads(body)
    text = json.dumps(overview)
    assert '"unmeasured": []' in text or overview.get("unmeasured") == [], text[:400]
    totals = overview.get("totals", overview)
    assert totals["recordsIn"] >= RECORDS, text[:400]
    assert totals["recordsOut"] >= COMMITTED, text[:400]
    assert totals["bytesIn"] > 0 and totals["bytesOut"] > 0 and totals["requests"] > 0, text[:400]


def test_markup_in_group_and_client_ids_stays_text(data):
    """Group ids and client ids are any string a client sends: on the groups pages they are text,
    and links to them are URL-encoded."""
    import urllib.parse
    from confluent_kafka import Consumer, TopicPartition
    group = 'evil<img src=x onerror="alert(3)">'
    consumer = Consumer({**ck_common(data), "group.id": group, "client.id": "cli<b>ent</b>", "enable.auto.commit": False})
    consumer.commit(offsets=[TopicPartition(TOPIC, 0, 1)], asynchronous=False)
    consumer.close()
    wait_until(lambda: "evil&lt;img" in http("/groups")[1], 15, "the group with markup listed")
    groups = dump_dom("/groups")
    assert "<img" not in groups and "evil&lt;img src=x onerror=\"alert(3)\"&gt;" in groups
    assert "/groups/" + urllib.parse.quote(group, safe="") in groups.replace("&amp;", "&")
    page = dump_dom("/groups/" + urllib.parse.quote(group, safe=""))
    assert "<img" not in page and "evil&lt;img" in page


def test_bad_inputs_get_clear_http_answers(data):
    status, body, _ = http("/no/such/page")
    assert status == 404 and "Not found" in body
    status, body, _ = http(f"/topics/{TOPIC}/messages?offset=abc")
    assert status == 400 and "offset must be a whole number" in body
    status, body, _ = http(f"/topics/{TOPIC}/messages?count=-1")
    assert status == 400 and "count must be between 1 and 200" in body
    status, body, _ = http(f"/topics/{TOPIC}/messages?offset=999")
    assert status == 400 and "out of range" in body
    status, body, _ = http(f"/topics/{TOPIC}/messages?partition=5")
    assert status == 404 and "partition 5 of topic console-demo does not exist" in body
    status, body, _ = http("/topics/no-such-topic")
    assert status == 404 and "does not exist" in body
    status, _, _ = http(f"/topics/{TOPIC}/messages?count=" + "9" * 20000)
    assert status in (400, 414, 431)
    status, _, headers = http("/assets/console.js")
    assert status == 200 and headers["ETag"]
    assert http("/assets/console.js", headers={"If-None-Match": headers["ETag"]})[0] == 304


def test_forms_create_delete_and_reset(data):
    own = {"Origin": BASE}
    status, body, _ = http("/topics", {"name": "console-made", "partitions": "3"}, headers={"Origin": "http://evil.example"})
    assert status == 403 and "cross-origin" in body
    status, _, headers = http("/topics", {"name": "console-made", "partitions": "3", "retention.ms": "60000"}, headers=own)
    assert status == 303 and headers["Location"] == "/topics/console-made?created=1"
    status, body, _ = http("/topics/console-made")
    assert status == 200 and "60000" in body and "DYNAMIC_TOPIC_CONFIG" in body
    status, body, _ = http("/topics", {"name": "console-made"}, headers=own)
    assert status == 409 and "TOPIC_ALREADY_EXISTS" in body
    status, body, _ = http("/topics/console-made/delete", {"confirm": "wrong"}, headers=own)
    assert status == 400 and "nothing was deleted" in body
    status, _, _ = http("/topics/console-made/delete", {"confirm": "console-made"}, headers=own)
    assert status == 303
    wait_until(lambda: http("/topics/console-made")[0] == 404, 10, "the deleted topic gone")

    status, _, _ = http(f"/groups/{GROUP}/reset", {"to": "earliest"}, headers=own)
    assert status == 303
    status, body, _ = http(f"/groups/{GROUP}")
    assert f'<dd id="total-lag">{RECORDS}</dd>' in body
    # Back to where the other test expects it.
    status, _, _ = http(f"/groups/{GROUP}/reset", {"to": "offset", "offset": str(COMMITTED)}, headers=own)
    assert status == 303


def test_sasl_only_broker_asks_for_a_login_and_applies_acls(tmp_path):
    """With only a SASL_PLAINTEXT listener the console asks for HTTP Basic credentials and logs
    in to the broker as that user: the super user sees and creates topics, alice (no ACLs)
    neither sees nor may create them."""
    (tmp_path / "users.txt").write_text("admin:admin-pw\nalice:alice-pw\n")
    (tmp_path / "data").mkdir()
    b = Broker(tmp_path / "data", tmp_path)
    http_port = free_port()
    base = f"http://127.0.0.1:{http_port}"
    b.extra_args = ["--listeners", f"SASL_PLAINTEXT://127.0.0.1:{b.port}", "--sasl-users", str(tmp_path / "users.txt"),
                    "--authorizer", "acl", "--super-users", "User:admin", "--http-listen", f"127.0.0.1:{http_port}"]

    def basic(user, password):
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode(), "Origin": base}

    b.start()
    try:
        # The HTTP port is up before the console is installed (right after the listeners start).
        wait_until(lambda: http("/topics", base=base)[0] != 404, 10, "the console installed")
        status, _, headers = http("/topics", base=base)
        assert status == 401 and headers["WWW-Authenticate"].startswith('Basic realm="kaffee"')
        status, body, _ = http("/topics", headers=basic("alice", "wrong"), base=base)
        assert status == 401 and "SASL authentication failed" in body
        admin, alice = basic("admin", "admin-pw"), basic("alice", "alice-pw")
        status, _, _ = http("/topics", {"name": "secured", "partitions": "1"}, headers=admin, base=base)
        assert status == 303
        status, body, _ = http("/topics", headers=admin, base=base)
        assert status == 200 and '<a href="/topics/secured">secured</a>' in body
        status, body, _ = http("/topics", headers=alice, base=base)
        assert status == 200 and "secured" not in body
        status, body, _ = http("/topics", {"name": "alices"}, headers=alice, base=base)
        assert status == 403 and "AUTHORIZATION_FAILED" in body
        status, body, _ = http("/", headers=alice, base=base)
        assert status == 200 and "as the signed-in user" in body
    finally:
        _finish(b)
