"""Transactions (KIP-98) through broker crashes: transactional confluent-kafka producers commit
and abort transactions in a loop while the broker is SIGKILLed and restarted at random moments;
afterwards a read_committed reader must see every transaction whose commit the client saw
succeed, whole, none whose abort it saw succeed, and never a part of a transaction.

The broker runs with --durability always, so what it acknowledged is on disk even if the
machine lost power (a SIGKILL alone would not lose the page cache).

Each producer handles errors the way the librdkafka documentation asks an application to:
a retriable error repeats the call, an abortable one (txn_requires_abort) aborts the
transaction, a fatal one (e.g. fenced) closes the producer and makes a new one with the same
transactional.id, whose init_transactions fences the old one and ends its open transaction.
Now and then (ABANDON_SHARE of the commit calls that time out because the broker is down) the
application gives up on its producer mid-commit, as if it had crashed, and starts a new one.
The outcome of each transaction as the client saw it is recorded: "committed" (commit
returned OK), "aborted" (abort returned OK) or "unknown" (the commit or abort failed for good,
or the producer was given up on).

Afterwards (every transaction ended: the last stable offset reaches the high watermark) a
read_committed reader must see every "committed" transaction whole, no "aborted" one, no
transaction the client never asked to commit, every transaction whole or not at all, no
record twice, and each producer's transactions in order on every partition. The whole log
(read_uncommitted) holds no record twice and keeps each producer's order too.

A crash can lose an AddPartitionsToTxn the broker had not made durable; librdkafka then sends
EndTxn(abort) anyway (it cannot know), and if the coordinator's last transaction for the id
was committed the answer is INVALID_TXN_STATE, as from Kafka: fatal for librdkafka, so the
application makes a new producer and the outcome counts as unknown (never asked to commit)."""

from __future__ import annotations

import random
import re
import signal
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pytest
from confluent_kafka import KafkaError, KafkaException, TopicPartition

from grouphelpers import create_topic
from kafkahelpers import ck_consumer, ck_producer, wait_until

BROKER_ARGS = ["--durability", "always", "--default-partitions", "3",
               "--transaction-abort-interval-ms", "200"]

# close() of a producer given up on mid-commit tries to abort and says that it could not.
pytestmark = pytest.mark.filterwarnings("ignore:Producer abort_transaction failed during close")

PARTITIONS = 3
PRODUCERS = ("p1", "p2")
KILLS = 12
ABORT_SHARE = 0.25           # share of transactions the producers choose to abort
RECORDS_PER_TXN = (3, 8)     # inclusive range; >= PARTITIONS, so each one spans all partitions
CALL_TIMEOUT_S = 1.0         # one commit/abort/init call; a retriable timeout repeats it...
TXN_GIVE_UP_S = 20.0         # ...until this much time went by: the outcome is then unknown
ABANDON_SHARE = 0.5          # share of commit timeouts after which the application gives up on
                             # the producer (as if it had crashed): the outcome is unknown
TXN_TIMEOUT_MS = 20000       # transaction.timeout.ms
PROGRESS_DEADLINE_S = 30.0   # each producer must finish a transaction this soon after a restart
AFTER_KILLS_COMMITS = 3      # commits per producer after the last restart, before stopping


@dataclass
class Txn:
    producer: str
    number: int
    intent: str                                       # "commit" or "abort"
    planned: int                                      # records it is meant to hold
    values: list[str] = field(default_factory=list)   # records produce() accepted
    commit_called: bool = False
    outcome: str = "open"                             # committed / aborted / unknown
    note: str = ""                                    # the error path, if any


def value_of(producer: str, txn: int, record: int) -> str:
    return f"{producer}-t{txn:06d}-r{record:02d}"


def parse_value(v: str) -> tuple[str, int, int]:
    producer, t, r = v.split("-")
    assert t[0] == "t" and r[0] == "r", v
    return producer, int(t[1:]), int(r[1:])


class GiveUp(Exception):
    """A retriable error went on for longer than TXN_GIVE_UP_S."""


class Abandon(Exception):
    """The application gives up on its producer in the middle of a commit."""


class TxnWorker(threading.Thread):
    """One transactional producer (and its replacements after fatal errors) running
    transactions until `stop` is set."""

    def __init__(self, broker, topic: str, name: str, seed: int, stop: threading.Event):
        super().__init__(name=f"txn-{name}", daemon=True)
        self.broker, self.topic, self.pname, self.stop = broker, topic, name, stop
        self.tid = f"crash-{name}-{uuid.uuid4().hex[:8]}"
        self.rng = random.Random(seed)
        self.txns: list[Txn] = []
        self.finished = 0          # transactions with an outcome (any)
        self.ended_at: list[float] = []   # monotonic time of each outcome
        self.commits = 0           # of which commit returned OK
        self.producers_made = 0
        self.errors_seen: Counter = Counter()   # "call:ERROR_NAME" -> count
        self.failure: BaseException | None = None
        self.stop_after_commits: int | None = None

    # ---- producer lifecycle ----
    def new_producer(self):
        deadline = time.monotonic() + 2 * TXN_GIVE_UP_S
        while True:
            p = ck_producer(self.broker, **{
                "transactional.id": self.tid, "transaction.timeout.ms": TXN_TIMEOUT_MS,
                "message.timeout.ms": TXN_TIMEOUT_MS, "linger.ms": 2, "retry.backoff.ms": 50,
                "socket.timeout.ms": 5000})
            self.producers_made += 1
            while True:
                try:
                    p.init_transactions(CALL_TIMEOUT_S)
                    return p
                except KafkaException as e:
                    err = e.args[0]
                    self.errors_seen[f"init:{err.name()}"] += 1
                    if time.monotonic() > deadline:
                        raise AssertionError(f"{self.pname}: init_transactions kept failing: {err}")
                    if err.retriable():
                        continue
                    break   # fatal (or unexpected): a new producer instance
            self.discard(p)

    @staticmethod
    def discard(p) -> None:
        try:
            p.purge()
        except Exception:  # noqa: BLE001 - it is going away anyway
            pass
        try:
            p.close()
        except Exception:  # noqa: BLE001
            pass

    def retrying(self, what: str, call, deadline: float, may_abandon: bool = False) -> None:
        """Calls commit/abort until OK; a retriable error repeats it (until `deadline`)."""
        while True:
            try:
                call(CALL_TIMEOUT_S)
                return
            except KafkaException as e:
                err = e.args[0]
                self.errors_seen[f"{what}:{err.name()}"] += 1
                if not err.retriable():
                    raise
                if time.monotonic() > deadline:
                    raise GiveUp(f"{what} still failing after {TXN_GIVE_UP_S}s: {err}") from None
                if may_abandon and self.rng.random() < ABANDON_SHARE:
                    raise Abandon(f"{what}: {err.name()}") from None

    def produce(self, p, value: str, partition: int) -> None:
        deadline = time.monotonic() + TXN_GIVE_UP_S
        while True:
            try:
                p.produce(self.topic, value=value.encode(), partition=partition)
                return
            except BufferError:
                if time.monotonic() > deadline:
                    raise GiveUp("the producer queue stayed full")
                p.poll(0.05)

    # ---- one transaction ----
    def run_txn(self, p, txn: Txn):
        """Returns the producer to go on with (a new one after a fatal error)."""
        deadline = time.monotonic() + TXN_GIVE_UP_S
        try:
            p.begin_transaction()
            for r in range(txn.planned):
                v = value_of(txn.producer, txn.number, r)
                self.produce(p, v, (txn.number + r) % PARTITIONS)
                txn.values.append(v)
            p.poll(0)
            if txn.intent == "commit":
                txn.commit_called = True
                self.retrying("commit", p.commit_transaction, deadline, may_abandon=True)
                txn.outcome = "committed"
            else:
                # Deliver the records first, so that aborted records are in the log (an abort
                # right away would mostly purge them from the client's queue).
                p.flush(CALL_TIMEOUT_S)
                self.retrying("abort", p.abort_transaction, deadline)
                txn.outcome = "aborted"
            return p
        except Abandon as e:
            txn.note = f"abandoned after {e.args[0]}"
            err = None
        except (KafkaException, GiveUp) as e:
            err = e.args[0] if isinstance(e, KafkaException) else None
            txn.note = f"{err.name() if err else 'give-up'}"
        if err is not None and not err.fatal():
            # Abortable (txn_requires_abort), or any other non-fatal error before or
            # during the commit: end the transaction with an abort.
            try:
                self.retrying("abort-after-error", p.abort_transaction,
                              time.monotonic() + TXN_GIVE_UP_S)
                txn.outcome = "aborted"
                txn.note += " -> abort OK"
                return p
            except (KafkaException, GiveUp) as e2:
                err2 = e2.args[0] if isinstance(e2, KafkaException) else None
                txn.note += f" -> abort failed ({err2.name() if err2 else 'give-up'})"
        # Fatal (fenced, ...) or nothing else worked: what happened to this transaction is
        # unknown; a new producer with the same transactional.id fences the old one.
        txn.outcome = "unknown"
        txn.note += " -> new producer"
        self.discard(p)
        return self.new_producer()

    def run(self):
        p = None
        try:
            p = self.new_producer()
            number = 0
            while not self.stop.is_set():
                if self.stop_after_commits is not None and self.commits >= self.stop_after_commits:
                    break
                number += 1
                txn = Txn(self.pname, number,
                          "abort" if self.rng.random() < ABORT_SHARE else "commit",
                          self.rng.randint(*RECORDS_PER_TXN))
                self.txns.append(txn)
                p = self.run_txn(p, txn)
                self.finished += 1
                self.ended_at.append(time.monotonic())
                self.commits += txn.outcome == "committed"
        except BaseException as e:  # noqa: BLE001 - reported by the test
            self.failure = e
        finally:
            if p is not None:
                self.discard(p)


# ---------------------------------------------------------------- reading back

def read_everything(broker, topic: str, isolation: str, timeout: float = 30.0) -> list[tuple[int, int, str]]:
    """(partition, offset, value) of every data record, in offset order per partition; reads
    until every partition reported EOF (the last stable offset for read_committed)."""
    c = ck_consumer(broker, **{"isolation.level": isolation})
    c.assign([TopicPartition(topic, p, 0) for p in range(PARTITIONS)])
    got, eof = [], set()
    deadline = time.monotonic() + timeout
    try:
        while len(eof) < PARTITIONS:
            assert time.monotonic() < deadline, f"{isolation}: no EOF on every partition within {timeout}s"
            msg = c.poll(0.2)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    eof.add(msg.partition())
                    continue
                raise AssertionError(f"{isolation} consumer error: {msg.error()}")
            eof.discard(msg.partition())
            got.append((msg.partition(), msg.offset(), msg.value().decode()))
    finally:
        c.close()
    return got


def end_offsets(broker, topic: str, isolation: str) -> list[int]:
    c = ck_consumer(broker, **{"isolation.level": isolation})
    try:
        return [c.get_watermark_offsets(TopicPartition(topic, p), timeout=5)[1] for p in range(PARTITIONS)]
    finally:
        c.close()


def wait_all_transactions_ended(broker, topic: str) -> None:
    """The last stable offset reaches the high watermark on every partition: no transaction is
    left open (one whose end the crashes lost would hold read_committed readers forever)."""
    seen = {}

    def stable():
        lso, hwm = end_offsets(broker, topic, "read_committed"), end_offsets(broker, topic, "read_uncommitted")
        seen.update(lso=lso, hwm=hwm)
        return lso == hwm
    try:
        wait_until(stable, TXN_TIMEOUT_MS / 1000 + 10, "the last stable offset to reach the high watermark",
                   interval=0.2)
    except AssertionError as e:
        raise AssertionError(f"{e}: {seen}") from None


# ---------------------------------------------------------------- the test

@pytest.fixture
def topic(broker, topic_name):
    create_topic(broker, topic_name, PARTITIONS)
    return topic_name


def test_transactions_survive_broker_crashes(broker, topic, record_property):
    started = time.monotonic()
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    stop = threading.Event()
    workers = [TxnWorker(broker, topic, name, seed + i, stop) for i, name in enumerate(PRODUCERS)]

    def check_workers():
        for w in workers:
            if w.failure is not None:
                raise AssertionError(f"producer {w.pname} failed: {w.failure!r}") from w.failure

    kills = 0
    try:
        for w in workers:
            w.start()
        for _ in range(KILLS):
            # Each producer finished a transaction since the last restart (so every crash hits
            # producers that are working), then a random moment within the next half second.
            marks = [w.finished for w in workers]

            def progressed():
                check_workers()
                return all(w.finished > m for w, m in zip(workers, marks))
            wait_until(progressed, PROGRESS_DEADLINE_S,
                       f"every producer to finish a transaction after restart {kills}", interval=0.01)
            time.sleep(rng.uniform(0.0, 0.5))
            broker.restart(signal.SIGKILL)
            kills += 1
        # After the last restart each producer must commit a few more transactions, then stops.
        for w in workers:
            w.stop_after_commits = w.commits + AFTER_KILLS_COMMITS

        def all_done():
            check_workers()
            return all(not w.is_alive() for w in workers)
        wait_until(all_done, PROGRESS_DEADLINE_S, "the producers' last commits", interval=0.02)
    finally:
        stop.set()
        for w in workers:
            w.join(2 * TXN_GIVE_UP_S)
    check_workers()
    assert not any(w.is_alive() for w in workers), "a producer thread hung"
    produce_s = time.monotonic() - started

    wait_all_transactions_ended(broker, topic)
    committed_view = read_everything(broker, topic, "read_committed")
    uncommitted_view = read_everything(broker, topic, "read_uncommitted")

    txns = {(t.producer, t.number): t for w in workers for t in w.txns}
    assert all(t.outcome != "open" for t in txns.values())
    outcomes = Counter(t.outcome for t in txns.values())
    longest_stall = max(b - a for w in workers for a, b in zip(w.ended_at, w.ended_at[1:]))
    print(f"\nRUN seed={seed} kills={kills} outcomes={dict(outcomes)}")
    summary = check_views(txns, committed_view, uncommitted_view)

    # What the restarts found (coordinator recovery): open transactions, and decided ones
    # (PrepareCommit/PrepareAbort) whose markers it had to finish.
    restart_logs = [broker.log_text(i) for i in range(1, broker.starts)]
    open_found = sum(1 for text in restart_logs if re.search(r"\(([1-9]\d*) with an open transaction\)", text))
    completing = Counter(m for text in restart_logs
                         for m in re.findall(r"completing transaction \S+ \((\w+)\) left from the last run", text))
    errors = sum((w.errors_seen for w in workers), Counter())
    line = (f"kills={kills} transactions={len(txns)} committed={outcomes['committed']} "
            f"aborted={outcomes['aborted']} (of which after an error: {summary['aborted_after_error']}) "
            f"unknown={outcomes['unknown']} unknown_visible={summary['unknown_visible']} "
            f"read_committed_records={len(committed_view)} read_uncommitted_records={len(uncommitted_view)} "
            f"aborted_records_in_log={summary['aborted_in_log']} "
            f"producer_instances={sum(w.producers_made for w in workers)} "
            f"restarts_with_open_txns={open_found} prepared_completed_at_restart={dict(completing)} "
            f"longest_stall_s={longest_stall:.2f} produce_phase_s={produce_s:.1f} total_s={time.monotonic() - started:.1f} seed={seed}")
    print("\nSUMMARY", line)
    print("client errors seen:", dict(errors))
    unknown_notes = Counter(t.note for t in txns.values() if t.outcome == "unknown" or t.note)
    print("error paths:", dict(unknown_notes))
    record_property("summary", line)
    assert kills >= 10
    assert outcomes["committed"] >= 10 and outcomes["aborted"] >= 3, line


def check_order(view_name: str, view: list) -> None:
    by_partition = defaultdict(list)
    for part, off, v in view:
        by_partition[part].append((off, v))
    for part, recs in by_partition.items():
        offs = [o for o, _ in recs]
        assert offs == sorted(offs) and len(set(offs)) == len(offs), f"{view_name}, partition {part}: offsets out of order"
        for producer in {parse_value(v)[0] for _, v in recs}:
            seq = [parse_value(v)[1:] + (o,) for o, v in recs if parse_value(v)[0] == producer]
            bad = [(a, b) for a, b in zip(seq, seq[1:]) if not a[:2] < b[:2]]
            assert not bad, (f"{view_name}, partition {part}, producer {producer}: (txn, record, offset) "
                             f"out of order: {bad[:5]}")


def check_views(txns: dict, committed_view: list, uncommitted_view: list) -> dict:
    known = {v: t for t in txns.values() for v in t.values}

    # ---- read_committed ----
    values = [v for _, _, v in committed_view]
    dups = [v for v, c in Counter(values).items() if c > 1]
    assert not dups, f"read_committed: {len(dups)} records appear more than once, e.g. {sorted(dups)[:10]}"
    strangers = [v for v in values if v not in known]
    assert not strangers, f"read_committed: records no producer sent: {strangers[:10]}"
    visible = defaultdict(set)
    for v in values:
        p, n, _ = parse_value(v)
        visible[(p, n)].add(v)

    lost = [t for t in txns.values() if t.outcome == "committed" and visible[(t.producer, t.number)] != set(t.values)]
    assert not lost, "transactions whose commit returned OK are missing (or partly missing): " + "; ".join(
        f"{t.producer} t{t.number}: {len(visible[(t.producer, t.number)])} of {len(t.values)} visible"
        for t in lost[:10])
    assert all(len(t.values) == t.planned for t in txns.values() if t.outcome == "committed")
    resurrected = [t for t in txns.values() if t.outcome == "aborted" and visible[(t.producer, t.number)]]
    assert not resurrected, "transactions whose abort returned OK are visible: " + "; ".join(
        f"{t.producer} t{t.number} ({t.note or 'chosen abort'}): {sorted(visible[(t.producer, t.number)])[:3]}"
        for t in resurrected[:10])
    partial = [t for t in txns.values() if visible[(t.producer, t.number)]
               and visible[(t.producer, t.number)] != set(t.values)]
    assert not partial, "transactions partly visible: " + "; ".join(
        f"{t.producer} t{t.number} ({t.outcome}, {t.note}): {len(visible[(t.producer, t.number)])} "
        f"of {len(t.values)}" for t in partial[:10])
    never_committed = [t for t in txns.values() if not t.commit_called and visible[(t.producer, t.number)]]
    assert not never_committed, "transactions never committed by the client are visible: " + "; ".join(
        f"{t.producer} t{t.number} ({t.outcome}, {t.note})" for t in never_committed[:10])

    # Per partition and producer, transactions in the order the producer ran them (and the
    # records of one transaction in the order it produced them).
    check_order("read_committed", committed_view)

    # ---- read_uncommitted: aborted records may be there, but nothing twice ----
    ru_values = [v for _, _, v in uncommitted_view]
    ru_dups = [v for v, c in Counter(ru_values).items() if c > 1]
    assert not ru_dups, f"read_uncommitted: {len(ru_dups)} records appear more than once, e.g. {sorted(ru_dups)[:10]}"
    ru_strangers = [v for v in ru_values if v not in known]
    assert not ru_strangers, f"read_uncommitted: records no producer sent: {ru_strangers[:10]}"
    missing_in_ru = set(values) - set(ru_values)
    assert not missing_in_ru, f"read_committed records that read_uncommitted does not see: {sorted(missing_in_ru)[:10]}"
    # The log itself (aborted records too) keeps each producer's order: a fenced or
    # abandoned producer instance never writes after its successor.
    check_order("read_uncommitted", uncommitted_view)
    in_log = set(ru_values)
    return {
        "aborted_after_error": sum(1 for t in txns.values() if t.outcome == "aborted" and t.note),
        "unknown_visible": sum(1 for t in txns.values() if t.outcome == "unknown" and visible[(t.producer, t.number)]),
        "aborted_in_log": sum(1 for t in txns.values() if t.outcome == "aborted" for v in t.values if v in in_log),
    }
