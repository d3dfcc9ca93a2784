"""The coffee shop as real processes for end-to-end tests: kaffeed (conftest.Broker) plus the
order-, barista- and notification-service binaries and N barista-worker processes (the
brewing queue's share group), each restartable and killable.

Binaries come from $KAFFEE_BIN_DIR (default .build/debug). Every service gets a static group
instance id, so a restarted (or SIGKILLed and restarted) worker gets its partitions back at
once instead of waiting for its session to expire. Barista workers are stateless (no
database); against kaffeed they share the queue through a share group, whose record lock
(BARISTA_LOCK_MS, 2 s here) decides how soon a killed worker's drink comes back, so the
broker must run with ``group.share.min.record.lock.duration.ms`` at most that
(SHOP_BROKER_ARGS).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from conftest import REPO, free_port

SERVICES = ("order-service", "barista-service", "notification-service")

# Broker flags the shop needs: workers may set a share-group record lock of 2 s (Kafka's floor
# is 15 s), so a killed worker's drink comes back soon; and a killed worker leaves the share
# group after 6 s instead of Kafka's 45 s (until then the partitions assigned to it wait: with
# more workers than partitions a live worker may not have them all).
SHOP_BROKER_ARGS = ["--config", "group.share.min.record.lock.duration.ms=1000",
                    "--config", "group.share.min.session.timeout.ms=1000",
                    "--config", "group.share.session.timeout.ms=6000",
                    "--config", "group.share.min.heartbeat.interval.ms=500",
                    "--config", "group.share.heartbeat.interval.ms=1000",
                    # The services set their consumer groups' (KIP-848) session timeout to
                    # SERVICE_SESSION_TIMEOUT_MS (6 s here) at start; Kafka's floor is 45 s.
                    "--config", "group.consumer.min.session.timeout.ms=3000",
                    "--config", "group.consumer.min.heartbeat.interval.ms=1000"]

# Barista workers the shop starts, and their settings (a worker's extra_env overrides these).
WORKERS = 3
WORKER_ENV = {
    "BARISTA_SPEED_FACTOR": "0.01",
    "BARISTA_LOCK_MS": "2000",
    "BARISTA_FAIL_RATE": "0",
    "BARISTA_MAX_ATTEMPTS": "3",
}


def bin_dir() -> Path:
    path = Path(os.environ.get("KAFFEE_BIN_DIR", ".build/debug"))
    if not path.is_absolute():
        path = path.resolve() if path.exists() else (REPO / path)
    return path


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


class HTTPResult:
    def __init__(self, status: int, body: bytes, headers):
        self.status = status
        self.body = body
        self.headers = headers

    def json(self):
        return json.loads(self.body)


def http(method: str, url: str, body=None, headers=None, timeout: float = 10) -> HTTPResult:
    data = None
    hdrs = dict(headers or {})
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        hdrs.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return HTTPResult(r.status, r.read(), r.headers)
    except urllib.error.HTTPError as e:
        return HTTPResult(e.code, e.read(), e.headers)


# Every service process started by a test, so none outlives the module (see Shop.stop).
_ALL_SERVICES: list["Service"] = []


class Service:
    """One service process (and its restarts)."""

    def __init__(self, name: str, shop: "Shop", extra_env: dict | None = None):
        _ALL_SERVICES.append(self)
        self.name = name
        self.binary = name
        self.shop = shop
        self.port = free_port()
        self.db = shop.base / f"{name}.sqlite"
        self.extra_env = dict(extra_env or {})
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.log_paths: list[Path] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        env = dict(os.environ)
        env.update({
            "KAFFEE_BROKERS": self.shop.broker.bootstrap,
            "SERVICE_HTTP_PORT": str(self.port),
            "SERVICE_DB_PATH": str(self.db),
            "SERVICE_INSTANCE_ID": f"{self.name}-1",
            "SERVICE_SESSION_TIMEOUT_MS": "6000",
            "SERVICE_RETRY_ATTEMPTS": "3",
            "SERVICE_RETRY_BACKOFF_MS": "20",
        })
        env.update(self.extra_env)
        return env

    def start(self, wait_ready: bool = True) -> None:
        assert self.proc is None, f"{self.name} already running"
        log = self.shop.base / f"{self.name}.{self.starts}.log"
        self.starts += 1
        self.log_paths.append(log)
        with open(log, "wb") as f:
            self.proc = subprocess.Popen([str(bin_dir() / self.binary)], env=self.env(), stdin=subprocess.DEVNULL,
                                         stdout=f, stderr=f, cwd=self.shop.base)
        if wait_ready:
            self.wait_ready()

    def healthz(self) -> HTTPResult | None:
        try:
            return http("GET", self.url + "/healthz", timeout=2)
        except OSError:
            return None

    def wait_ready(self, timeout: float = 30) -> None:
        def ready():
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.proc.returncode}\n{self.log_tail()}")
            r = self.healthz()
            return r is not None and r.status == 200
        wait_until(ready, timeout, f"{self.name} ready")

    def stop(self, sig=signal.SIGTERM, expect_code: int | None = 0) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"{self.name} did not stop within 30 s\n{self.log_tail()}")
        self.proc = None
        if expect_code is not None:
            assert code == expect_code, f"{self.name} exited {code}, expected {expect_code}\n{self.log_tail()}"
        return code

    def kill(self) -> None:
        self.stop(signal.SIGKILL, expect_code=-signal.SIGKILL)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_paths:
            return ""
        text = self.log_paths[-1].read_text(errors="replace").splitlines()
        return "\n".join([f"---- {self.log_paths[-1]} ----", *text[-lines:]])

    def get(self, path: str) -> HTTPResult:
        return http("GET", self.url + path)

    def post(self, path: str, body=None, headers=None) -> HTTPResult:
        return http("POST", self.url + path, body if body is not None else {}, headers)


class Worker(Service):
    """One barista-worker process (and its restarts): no database, ready when /healthz says
    200 (it joined the queue's group). `name` is also its BARISTA_WORKER_NAME, the worker the
    results name."""

    def __init__(self, name: str, shop: "Shop", extra_env: dict | None = None):
        super().__init__(name, shop, extra_env)
        self.binary = "barista-worker"
        self.db = None

    def env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BARISTA_")}
        env.update({
            "KAFFEE_BROKERS": self.shop.broker.bootstrap,
            "SERVICE_HTTP_PORT": str(self.port),
            "SERVICE_SESSION_TIMEOUT_MS": "6000",
            "BARISTA_WORKER_NAME": self.name,
        })
        env.update(WORKER_ENV)
        env.update(self.extra_env)
        return env

    def metric(self, name: str) -> float | None:
        try:
            text = http("GET", self.url + "/metrics", timeout=2).body.decode()
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def is_brewing(self) -> bool:
        return self.metric("barista_worker_brewing") == 1


class Shop:
    """The broker, the three services and `workers` barista workers."""

    def __init__(self, broker, base: Path, workers: int = WORKERS):
        self.broker = broker
        self.base = base
        self.services = {name: Service(name, self) for name in SERVICES}
        self.workers = [Worker(f"barista-worker-{i + 1}", self) for i in range(workers)]
        self._extra = 0

    @property
    def orders(self) -> Service:
        return self.services["order-service"]

    @property
    def barista(self) -> Service:
        return self.services["barista-service"]

    @property
    def notifications(self) -> Service:
        return self.services["notification-service"]

    def start(self) -> None:
        for s in [*self.services.values(), *self.workers]:
            s.start(wait_ready=False)
        for s in [*self.services.values(), *self.workers]:
            s.wait_ready()

    def start_workers(self) -> None:
        """Starts every shop worker that is not running, and waits until they are ready."""
        stopped = [w for w in self.workers if w.proc is None]
        for w in stopped:
            w.start(wait_ready=False)
        for w in stopped:
            w.wait_ready()

    def stop_workers(self) -> None:
        """Stops (SIGTERM, exit 0) every running shop worker: a drink being brewed is released."""
        for w in self.workers:
            if w.proc is not None:
                w.stop()

    def extra_worker(self, label: str, extra_env: dict | None = None) -> Worker:
        """An ad-hoc worker (not started) in the shop's group, e.g. with other settings; its
        name is unique, so its results and logs are told apart."""
        self._extra += 1
        return Worker(f"{label}-{self._extra}", self, extra_env)

    def stop(self) -> None:
        for s in [*self.workers, *self.services.values()]:
            if s.proc is not None:
                s.stop()
        # Processes of ad-hoc services a failed test left behind.
        for s in _ALL_SERVICES:
            if s.proc is not None and s.proc.poll() is None:
                s.proc.kill()
                s.proc.wait()
            s.proc = None

    def register(self, name="Ada", email=None) -> str:
        r = self.orders.post("/members", {"name": name, "email": email or f"{uuid.uuid4().hex[:8]}@example.com"})
        assert r.status == 201, r.body
        return r.json()["memberId"]

    def place(self, member: str, items=None, key: str | None = None) -> HTTPResult:
        items = items or [{"drink": "latte", "size": "medium", "quantity": 1}]
        headers = {"Idempotency-Key": key} if key else None
        return self.orders.post("/orders", {"memberId": member, "items": items}, headers)

    def verify(self, wait: int = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(bin_dir() / "kaffee"), "verify", "--wait", str(wait), "--brokers", self.broker.bootstrap,
             "--order-service", f"127.0.0.1:{self.orders.port}",
             "--barista-service", f"127.0.0.1:{self.barista.port}",
             "--notification-service", f"127.0.0.1:{self.notifications.port}"],
            capture_output=True, text=True, timeout=wait + 60)

    def snapshot(self, service: Service) -> dict:
        r = service.get("/admin/snapshot")
        assert r.status == 200, r.body
        return r.json()

    def wait_all_final(self, timeout: float = 60) -> None:
        """Waits until every order the order-service knows has a final status."""
        final = {"READY", "COMPLETED", "CANCELLED", "FAILED"}

        def open_orders():
            left = [o["orderId"] for o in self.snapshot(self.orders)["orders"] if o["status"] not in final]
            return not left or None
        wait_until(open_orders, timeout, "every order to reach a final status")


class OrderLoad:
    """Places orders from a background thread at about `rate` per second until stopped. Every
    order uses its own idempotency key and is retried (same key) until the order-service
    answers 201/200, so an order-service crash cannot lose or double an order."""

    def __init__(self, shop: Shop, members: list[str], rate: float):
        self.shop = shop
        self.members = members
        self.rate = rate
        self.placed: dict[str, str] = {}  # idempotency key -> order id
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.errors: list[str] = []

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=120)

    def _run(self):
        i = 0
        drinks = ["latte", "espresso", "cappuccino", "tea", "mocha"]
        while not self.stopping.is_set():
            key = f"load-{uuid.uuid4()}"
            items = [{"drink": drinks[i % len(drinks)], "size": "small", "quantity": 1 + i % 2}]
            member = self.members[i % len(self.members)]
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    r = self.shop.place(member, items, key)
                    if r.status in (200, 201):
                        self.placed[key] = r.json()["orderId"]
                        break
                    if r.status < 500:
                        self.errors.append(f"{r.status} {r.body[:200]!r}")
                        break
                except OSError:
                    pass  # order-service down: retry with the same key
                time.sleep(0.1)
            i += 1
            time.sleep(1 / self.rate)


def read_topic(broker, topic: str, timeout: float = 20.0):
    """Every record of `topic` from the beginning to the current end (confluent-kafka)."""
    from confluent_kafka import OFFSET_BEGINNING, TopicPartition
    from kafkahelpers import ck_consume, ck_consumer
    c = ck_consumer(broker)
    try:
        parts = list(c.list_topics(topic, timeout=10).topics[topic].partitions)
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        return ck_consume(c, 0, timeout=timeout, eof_partitions=len(parts))
    finally:
        c.close()


def produce(broker, topic: str, records):
    """Produces (key, value, headers, partition-or-None) tuples and waits for the acks."""
    from kafkahelpers import ck_produce, ck_producer
    p = ck_producer(broker)
    rows = []
    for key, value, headers, partition in records:
        row = {"key": key, "value": value, "headers": list(headers or [])}
        if partition is not None:
            row["partition"] = partition
        rows.append(row)
    reports = ck_produce(p, topic, rows)
    assert all(r[0] is None for r in reports), reports
