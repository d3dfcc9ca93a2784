"""Fixtures for the interop suite: a real kaffeed process per test module.

The broker binary comes from $KAFFEED (default .build/debug/kaffeed, relative to the
repository root). Each test module gets its own broker on a free loopback port with a fresh
data directory; a module can pass extra flags with a module-level ``BROKER_ARGS`` list.
Tests can restart the broker on the same data directory (``broker.restart()``) and read what
it logged (``broker.log_text()``). On a test failure the tail of the broker's log is attached
to the report.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
START_DEADLINE_S = 15.0
STOP_DEADLINE_S = 20.0
TEST_DEADLINE_S = int(os.environ.get("INTEROP_TEST_TIMEOUT", "90"))

# Brokers alive right now, for the failure report hook.
_LIVE_BROKERS: list["Broker"] = []


def broker_binary() -> Path:
    path = Path(os.environ.get("KAFFEED", ".build/debug/kaffeed"))
    if not path.is_absolute():
        # Relative paths are taken from the current directory first, then the repo root.
        path = path.resolve() if path.exists() else (REPO / path)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def _owns_listener(pid: int, port: int) -> bool:
    """Whether process `pid` holds the socket listening on loopback `port` (Linux /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    local, state, inode = cols[1], cols[3], cols[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.add(f"socket:[{inode}]")
        except FileNotFoundError:
            continue
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                return True
        except OSError:
            continue
    return False


class BrokerError(AssertionError):
    pass


class Broker:
    """One kaffeed process (and its restarts) on a fixed port and data directory."""

    def __init__(self, data_dir: Path, log_dir: Path, extra_args: list[str] | None = None):
        self.binary = broker_binary()
        self.data_dir = data_dir
        self.log_dir = log_dir
        self.extra_args = list(extra_args or [])
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.log_paths: list[Path] = []
        self.exit_codes: list[int] = []

    # ---- addresses ----
    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "broker is not running"
        return self.proc.pid

    # ---- lifecycle ----
    def start(self) -> None:
        """Starts the process and waits (with a deadline) until its port accepts connections.
        On the very first start a port taken meanwhile by someone else means: pick another."""
        for attempt in range(3):
            try:
                return self._start_once()
            except BrokerError as e:
                if self.starts > 1 or attempt == 2 or "Address already in use" not in str(e):
                    raise
                self.port = free_port()
                self.starts = 0
                self.log_paths.clear()

    def _start_once(self) -> None:
        assert self.proc is None, "broker already running"
        if not self.binary.exists():
            raise BrokerError(f"kaffeed binary not found at {self.binary} (set KAFFEED or build it)")
        log_path = self.log_dir / f"kaffeed.{self.starts}.log"
        self.starts += 1
        self.log_paths.append(log_path)
        args = [str(self.binary), "--listen", self.bootstrap, "--data-dir", str(self.data_dir),
                *self.extra_args]
        with open(log_path, "wb") as log:
            log.write(("$ " + " ".join(args) + "\n").encode())
            log.flush()
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                         cwd=self.log_dir)
        deadline = time.monotonic() + START_DEADLINE_S
        while True:
            code = self.proc.poll()
            if code is not None:
                self.proc = None
                raise BrokerError(f"kaffeed exited with code {code} during start-up\n{self.log_tail()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    pass
                # Something accepts connections there: make sure it is this process.
                if _owns_listener(self.proc.pid, self.port):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise BrokerError(f"kaffeed did not accept connections on {self.bootstrap} within "
                                  f"{START_DEADLINE_S}s\n{self.log_tail()}")
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM, expect_code: int | None = 0) -> int:
        """Sends `sig` and waits for the process to end; returns its exit code."""
        assert self.proc is not None, "broker is not running"
        proc = self.proc
        proc.send_signal(sig)
        try:
            code = proc.wait(timeout=STOP_DEADLINE_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            self.proc = None
            raise BrokerError(f"kaffeed did not exit within {STOP_DEADLINE_S}s of signal {sig} "
                              f"(killed it)\n{self.log_tail()}")
        self.proc = None
        self.exit_codes.append(code)
        if expect_code is not None and code != expect_code:
            raise BrokerError(f"kaffeed exited with code {code} after signal {sig}, expected "
                              f"{expect_code}\n{self.log_tail()}")
        return code

    def kill(self) -> None:
        """SIGKILL (a crash); the exit is not checked beyond being by that signal."""
        if self.proc is not None:
            self.stop(signal.SIGKILL, expect_code=-signal.SIGKILL)

    def restart(self, sig: int = signal.SIGTERM) -> None:
        if sig == signal.SIGKILL:
            self.kill()
        else:
            self.stop(sig)
        self.start()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # ---- logs ----
    def log_text(self, start_index: int = -1) -> str:
        """What the broker logged during one start (default: the current/last one)."""
        if not self.log_paths:
            return ""
        return self.log_paths[start_index].read_text(errors="replace")

    def log_tail(self, lines: int = 60) -> str:
        out = []
        for path in self.log_paths[-2:]:
            text = path.read_text(errors="replace").splitlines()
            out.append(f"---- {path} (last {min(lines, len(text))} of {len(text)} lines) ----")
            out.extend(text[-lines:])
        return "\n".join(out)


# ---------------------------------------------------------------- fixtures

def _finish(b: Broker) -> None:
    """Teardown of one broker: it must still be running, and SIGTERM must end it with code 0."""
    if b in _LIVE_BROKERS:
        _LIVE_BROKERS.remove(b)
    if b.proc is None:
        return
    if b.proc.poll() is not None:
        code = b.proc.returncode
        b.proc = None
        raise BrokerError(f"kaffeed died during the tests (exit code {code})\n{b.log_tail()}")
    b.stop(signal.SIGTERM, expect_code=0)
    assert "stopped cleanly" in b.log_text(), f"no 'stopped cleanly' in the log\n{b.log_tail()}"


class SaslBroker:
    """kaffeed with a PLAINTEXT listener (where the start waits) and a SASL_PLAINTEXT one, its
    users (name → password) written to a `--sasl-users` file; `extra_args` go on the command
    line too (e.g. an authorizer)."""

    def __init__(self, base, users: dict[str, str], extra_args: list[str] = ()):
        path = base / "users.txt"
        path.write_text("".join(f"{name}:{password}\n" for name, password in users.items()))
        data = base / "data"
        data.mkdir()
        self.broker = Broker(data, base)
        self.sasl_port = free_port()
        self.broker.extra_args = [
            "--listeners", f"PLAINTEXT://127.0.0.1:{self.broker.port},SASL_PLAINTEXT://127.0.0.1:{self.sasl_port}",
            "--sasl-users", str(path), "--default-partitions", "1", *extra_args]

    @property
    def sasl_bootstrap(self) -> str:
        return f"127.0.0.1:{self.sasl_port}"


@pytest.fixture(scope="module")
def broker_factory(request, tmp_path_factory):
    """Starts extra brokers: ``broker_factory(*extra_args) -> Broker``. Each has its own port
    and fresh data dir; all are stopped (SIGTERM, exit code 0 required) after the module."""
    started: list[Broker] = []

    def make(*extra_args: str) -> Broker:
        base = tmp_path_factory.mktemp(request.module.__name__.split(".")[-1])
        data_dir = base / "data"
        data_dir.mkdir()
        b = Broker(data_dir, base, list(extra_args))
        b.start()
        _LIVE_BROKERS.append(b)
        started.append(b)
        return b

    yield make
    gc.collect()  # let the module's client objects go while their broker is still up
    errors = []
    for b in started:
        try:
            _finish(b)
        except Exception as e:
            errors.append(e)
    if errors:
        raise errors[0]


@pytest.fixture(scope="module")
def broker(broker_factory, request):
    """A kaffeed on a free loopback port with a fresh data dir, for the whole module
    (extra flags from the module's BROKER_ARGS). Teardown sends SIGTERM and requires exit 0."""
    return broker_factory(*getattr(request.module, "BROKER_ARGS", []))


_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


@pytest.fixture
def topic_name(request):
    """A fresh, unique topic name derived from the test's name."""
    base = _NAME_RE.sub("-", request.node.name)[:80]
    return f"{base}-{uuid.uuid4().hex[:8]}"


@pytest.fixture(autouse=True)
def _test_deadline(request):
    """Fails a test that runs longer than TEST_DEADLINE_S instead of hanging the run."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"test exceeded its {TEST_DEADLINE_S}s deadline")
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_DEADLINE_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for b in list(_LIVE_BROKERS):
            try:
                alive = "running" if b.running else "NOT RUNNING"
                report.sections.append((f"kaffeed log tail ({b.bootstrap}, {alive})", b.log_tail()))
            except Exception as e:  # never hide the real failure
                report.sections.append(("kaffeed log tail", f"unavailable: {e}"))
