"""Examples/HelloKafka, a separate package that depends on Kaffee's `KafkaClient` product only
(`.package(name: "Kaffee", path: "../..")`), run against a real kaffeed: it creates its topic,
produces three records, reads them back with a consumer group and exits 0 printing "ok".

The binary comes from $HELLO_KAFKA (default Examples/HelloKafka/.build/debug/HelloKafka, which
`scripts/test` and `interop/run` build with `swift build --package-path Examples/HelloKafka`).
A missing binary fails the test rather than skipping it.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import REPO

BROKER_ARGS = ["--group-initial-rebalance-delay-ms", "0"]


def example_binary() -> Path:
    path = Path(os.environ.get("HELLO_KAFKA", "Examples/HelloKafka/.build/debug/HelloKafka"))
    if not path.is_absolute():
        path = path.resolve() if path.exists() else (REPO / path)
    assert path.exists(), (f"no HelloKafka binary at {path}: build it with "
                           "`swift build --package-path Examples/HelloKafka`")
    return path


def run_example(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(example_binary()), *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


def test_example_produces_and_consumes(broker):
    first = run_example(broker.bootstrap)
    assert first.returncode == 0, f"stdout:\n{first.stdout}\nstderr:\n{first.stderr}"
    lines = first.stdout.splitlines()
    assert sum(line.startswith("produced hello-kafka-") for line in lines) == 3, first.stdout
    assert sum(line.startswith("consumed hello-kafka-") for line in lines) == 3, first.stdout
    assert lines[-1] == "ok"
    # Again, with the broker from the environment: the topic exists now, and a new group
    # reads only this run's records among the earlier ones.
    second = run_example(env={"KAFKA_BROKERS": broker.bootstrap})
    assert second.returncode == 0, f"stdout:\n{second.stdout}\nstderr:\n{second.stderr}"
    assert second.stdout.splitlines()[-1] == "ok"


def test_example_reports_an_unreachable_broker():
    result = run_example("127.0.0.1:1")
    assert result.returncode != 0
    assert "ok" not in result.stdout.splitlines()
