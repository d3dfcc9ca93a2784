#!/usr/bin/env python3
"""One kafka-python KafkaConsumer group member, run as its own process.

Same JSON-lines protocol on stdout as ck_member.py (start, assign, revoke, rec, commit,
commit_failed, error, closed). --commit manual commits the next offsets of each poll() batch
synchronously after printing its records.
"""

import argparse
import json
import logging
import os
import signal
import sys
import time

from kafka import ConsumerRebalanceListener, KafkaConsumer
from kafka.coordinator.assignors.range import RangePartitionAssignor
from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
from kafka.structs import OffsetAndMetadata


def emit(**obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def tps(partitions):
    return sorted([tp.topic, tp.partition] for tp in partitions)


class Listener(ConsumerRebalanceListener):
    def on_partitions_revoked(self, revoked):
        emit(ev="revoke", partitions=tps(revoked))

    def on_partitions_assigned(self, assigned):
        emit(ev="assign", partitions=tps(assigned))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--topic", action="append", required=True)
    ap.add_argument("--session-timeout-ms", type=int, default=6000)
    ap.add_argument("--heartbeat-ms", type=int, default=300)
    ap.add_argument("--max-poll-ms", type=int, default=15000)
    ap.add_argument("--assignor", choices=["range", "roundrobin"], default="range")
    ap.add_argument("--commit", choices=["manual", "auto", "none"], default="manual")
    ap.add_argument("--client-id", default="kp-member")
    a = ap.parse_args()
    if os.environ.get("MEMBER_DEBUG"):   # client debug log on stderr (member-NAME.stderr)
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    stop = False

    def on_signal(signum, frame):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    assignor = RangePartitionAssignor if a.assignor == "range" else RoundRobinPartitionAssignor
    consumer = KafkaConsumer(
        bootstrap_servers=a.bootstrap, group_id=a.group, client_id=a.client_id,
        session_timeout_ms=a.session_timeout_ms, heartbeat_interval_ms=a.heartbeat_ms,
        max_poll_interval_ms=max(a.max_poll_ms, a.session_timeout_ms),
        partition_assignment_strategy=[assignor], auto_offset_reset="earliest",
        enable_auto_commit=a.commit == "auto", auto_commit_interval_ms=200,
        fetch_max_wait_ms=100, check_crcs=True, request_timeout_ms=10000,
        reconnect_backoff_ms=50, reconnect_backoff_max_ms=500, retry_backoff_ms=50,
        metadata_max_age_ms=2000)
    # Known kafka-python 3.0.12 race: a leader that joins before it has the topic's metadata
    # assigns nothing, rejoins when the metadata arrives, and if a poll() times out during that
    # rejoin the finished join is never completed (no heartbeats, the member expires). Having
    # the metadata before subscribing avoids that path (it is not what these tests are about).
    for t in a.topic:
        deadline = time.monotonic() + 10
        while not consumer.partitions_for_topic(t) and time.monotonic() < deadline:
            time.sleep(0.05)
    consumer.subscribe(a.topic, listener=Listener())
    emit(ev="start")

    while not stop:
        try:
            batches = consumer.poll(timeout_ms=300)
        except Exception as e:  # noqa: BLE001 - report and keep going, like an application would
            emit(ev="error", code=None, error=repr(e))
            time.sleep(0.1)
            continue
        nexts = {}
        for tp, recs in sorted(batches.items()):
            for r in recs:
                emit(ev="rec", t=r.topic, p=r.partition, o=r.offset,
                     k=None if r.key is None else r.key.decode(errors="replace"),
                     v=None if r.value is None else r.value.decode(errors="replace"))
                nexts[tp] = r.offset + 1
        if a.commit == "manual" and nexts:
            offsets = {tp: OffsetAndMetadata(o, "", -1) for tp, o in nexts.items()}
            try:
                consumer.commit(offsets)
                emit(ev="commit", offsets=[[tp.topic, tp.partition, o, None] for tp, o in sorted(nexts.items())])
            except Exception as e:  # noqa: BLE001
                emit(ev="commit_failed", error=repr(e),
                     offsets=[[tp.topic, tp.partition, o] for tp, o in sorted(nexts.items())])
    consumer.close()
    emit(ev="closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
