#!/usr/bin/env python3
"""One confluent-kafka (librdkafka) consumer-group member, run as its own process.

Prints one JSON object per line on stdout (flushed at once) so a test can follow it:
  {"ev": "start"}                                        consumer created, subscribe() called
  {"ev": "assign", "partitions": [[topic, p], ...], "incremental": bool}
                                                         rebalance callback: new assignment
                                                         (incremental: only the added partitions)
  {"ev": "revoke", "partitions": [...]} / {"ev": "lost", ...}
  {"ev": "rec", "t": topic, "p": p, "o": offset, "k": key, "v": value}
  {"ev": "commit", "offsets": [[topic, p, next_offset, error_or_null], ...]}   (--commit manual)
  {"ev": "commit_failed", "error": "...", "offsets": [...]}
  {"ev": "error", "code": ..., "error": "..."}            non-fatal consumer error
  {"ev": "closed"}                                        after SIGTERM/SIGINT: consumer.close() done
  {"ev": "nocommit"}                                      after SIGUSR1: manual commits stop from now on

--commit manual: after each consume() batch has been "processed" (printed), commit exactly
the next offsets of that batch synchronously (commit-after-process). --commit auto: librdkafka
auto-commit (enable.auto.commit, --auto-commit-ms). --commit none: never commit.
Extra librdkafka settings: --conf key=value (repeatable).
"""

import argparse
import json
import os
import signal
import sys

from confluent_kafka import Consumer, KafkaException, TopicPartition


def emit(**obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--group", required=True)
    ap.add_argument("--topic", action="append", required=True)
    ap.add_argument("--session-timeout-ms", type=int, default=6000)
    ap.add_argument("--heartbeat-ms", type=int, default=300)
    ap.add_argument("--max-poll-ms", type=int, default=15000)
    ap.add_argument("--assignor", default="range")
    ap.add_argument("--commit", choices=["manual", "auto", "none"], default="manual")
    ap.add_argument("--auto-commit-ms", type=int, default=200)
    ap.add_argument("--instance-id")
    ap.add_argument("--client-id", default="ck-member")
    ap.add_argument("--conf", action="append", default=[])
    ap.add_argument("--protocol", choices=["classic", "consumer"], default="classic",
                    help="group.protocol: consumer (KIP-848) leaves session, heartbeat and assignor to the broker")
    ap.add_argument("--remote-assignor", help="group.remote.assignor (consumer protocol): uniform or range")
    a = ap.parse_args()

    stop = False
    committing = True

    def on_signal(signum, frame):
        nonlocal stop
        stop = True

    def on_usr1(signum, frame):
        nonlocal committing
        committing = False

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGUSR1, on_usr1)

    conf = {
        "bootstrap.servers": a.bootstrap,
        "broker.address.family": "v4",
        "group.id": a.group,
        "client.id": a.client_id,
        "session.timeout.ms": a.session_timeout_ms,
        "heartbeat.interval.ms": a.heartbeat_ms,
        "max.poll.interval.ms": max(a.max_poll_ms, a.session_timeout_ms),
        "partition.assignment.strategy": a.assignor,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": a.commit == "auto",
        "auto.commit.interval.ms": a.auto_commit_ms,
        "enable.partition.eof": False,
        "check.crcs": True,
        "fetch.wait.max.ms": 100,
        "fetch.error.backoff.ms": 50,
        "socket.timeout.ms": 10000,
        "reconnect.backoff.ms": 50,
        "reconnect.backoff.max.ms": 500,
        "retry.backoff.ms": 50,
        "topic.metadata.refresh.interval.ms": 2000,
    }
    if a.protocol == "consumer":
        # KIP-848: librdkafka refuses these (they are group configs on the broker).
        for key in ("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy"):
            del conf[key]
        conf["group.protocol"] = "consumer"
        if a.remote_assignor:
            conf["group.remote.assignor"] = a.remote_assignor
    if os.environ.get("MEMBER_DEBUG"):   # librdkafka debug log on stderr (member-NAME.stderr)
        conf["debug"] = "cgrp,consumer,protocol"
    if a.instance_id:
        conf["group.instance.id"] = a.instance_id
    for kv in a.conf:
        k, v = kv.split("=", 1)
        conf[k] = v

    def tps(partitions):
        return sorted([tp.topic, tp.partition] for tp in partitions)

    def on_assign(consumer, partitions):
        # With the consumer protocol (KIP-848) rebalances are incremental: the callback names
        # only the partitions added.
        emit(ev="assign", partitions=tps(partitions), incremental=a.protocol == "consumer")

    def on_revoke(consumer, partitions):
        emit(ev="revoke", partitions=tps(partitions))

    def on_lost(consumer, partitions):
        emit(ev="lost", partitions=tps(partitions))

    def on_error(err):
        emit(ev="error", code=err.code(), error=str(err))

    conf["error_cb"] = on_error
    consumer = Consumer(conf)
    consumer.subscribe(a.topic, on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)
    emit(ev="start")

    announced = False
    while not stop:
        if not committing and not announced:
            emit(ev="nocommit")
            announced = True
        try:
            msgs = consumer.consume(num_messages=500, timeout=0.1)
        except KafkaException as e:
            emit(ev="error", code=e.args[0].code(), error=str(e))
            continue
        nexts = {}
        for m in msgs:
            if m.error():
                emit(ev="error", code=m.error().code(), error=str(m.error()))
                continue
            k, v = m.key(), m.value()
            emit(ev="rec", t=m.topic(), p=m.partition(), o=m.offset(),
                 k=None if k is None else k.decode(errors="replace"),
                 v=None if v is None else v.decode(errors="replace"))
            nexts[(m.topic(), m.partition())] = m.offset() + 1
        if a.commit == "manual" and committing and nexts:
            offsets = [TopicPartition(t, p, o) for (t, p), o in sorted(nexts.items())]
            try:
                res = consumer.commit(offsets=offsets, asynchronous=False)
                emit(ev="commit", offsets=[[tp.topic, tp.partition, tp.offset,
                                             str(tp.error) if tp.error else None] for tp in res])
            except KafkaException as e:
                emit(ev="commit_failed", error=str(e),
                     offsets=[[tp.topic, tp.partition, tp.offset] for tp in offsets])
    consumer.close()
    emit(ev="closed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
