"""End to end: the coffee shop's three services, its barista workers and kaffeed as real
processes.

Happy path through HTTP, bad input, redelivered events (no duplicates), a poison event that
lands in the dead-letter topic while its partition moves on, each process SIGKILLed in the
middle of a load and restarted (then every consistency check passes with nothing lost and
nothing doubled), barista workers SIGKILLed mid-drink (restarted, or not while the others carry
on), a drink that keeps failing (dead-lettered, the order FAILED), a worker killed while it
holds a drink (the drink comes back when its lock expires), a broker that is down when a
service starts, an unusable database, and the `kaffee demo` main job itself.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO, free_port
from shophelpers import SHOP_BROKER_ARGS, OrderLoad, Service, Shop, bin_dir, produce, read_topic, wait_until

BROKER_ARGS = ["--topics", str(REPO / "Topics"), "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000", "--config", "log.cleaner.backoff.ms=100",
               *SHOP_BROKER_ARGS]


@pytest.fixture(scope="module")
def shop(broker, tmp_path_factory):
    s = Shop(broker, tmp_path_factory.mktemp("shop"))
    s.start()
    yield s
    s.stop()


def order_status(shop: Shop, order_id: str) -> str:
    r = shop.orders.get(f"/orders/{order_id}")
    assert r.status == 200, r.body
    return r.json()["status"]


def test_order_flows_to_ready_and_one_notification_each(shop):
    member = shop.register("Grace")
    r = shop.place(member, [{"drink": "latte", "size": "large", "quantity": 2}], key=f"k-{uuid.uuid4()}")
    assert r.status == 201, r.body
    order_id = r.json()["orderId"]
    wait_until(lambda: order_status(shop, order_id) == "READY", 30, "order READY")
    history = [h["status"] for h in shop.orders.get(f"/orders/{order_id}").json()["history"]]
    assert history[0] == "PLACED" and history[-1] == "READY" and "BREWING" in history
    assert shop.orders.post(f"/orders/{order_id}/pickup").status == 200
    assert order_status(shop, order_id) == "COMPLETED"

    def notes():
        n = shop.notifications.get(f"/notifications?orderId={order_id}").json()["notifications"]
        return n if len(n) == 2 else None
    kinds = sorted(n["kind"] for n in wait_until(notes, 30, "two notifications"))
    assert kinds == ["ready", "received"]
    assert shop.verify(wait=30).returncode == 0


def test_bad_requests_are_rejected_and_write_nothing(shop):
    member = shop.register("Linus")
    before = shop.snapshot(shop.orders)
    cases = [
        (b"{not json", 400),
        ({"memberId": "no-such-member", "items": [{"drink": "latte", "size": "small", "quantity": 1}]}, 422),
        ({"memberId": member, "items": [{"drink": "motor oil", "size": "small", "quantity": 1}]}, 422),
        ({"memberId": member, "items": []}, 422),
        ({"memberId": member, "items": [{"drink": "latte", "size": "small", "quantity": 1}] * 21}, 422),
        ({"memberId": member, "items": [{"drink": "latte", "size": "small", "quantity": 500}]}, 422),
        ({"memberId": member, "items": [{"drink": "latte", "size": "venti", "quantity": 1}]}, None),
    ]
    for body, status in cases:
        r = shop.orders.post("/orders", body)
        if status is None:
            assert 400 <= r.status < 500, (body, r.status)
        else:
            assert r.status == status, (body, r.status, r.body)
        assert "error" in r.json(), r.body
    assert shop.orders.post("/members", {"name": "", "email": "x@example.com"}).status == 422
    assert shop.orders.post("/members", {"name": "A", "email": "nope"}).status == 422
    after = shop.snapshot(shop.orders)
    assert len(after["orders"]) == len(before["orders"])
    assert after["outboxPending"] == 0 or after["outboxPending"] <= before["outboxPending"]


def test_idempotency_key_makes_a_retried_post_safe(shop):
    member = shop.register("Barbara")
    key = f"retry-{uuid.uuid4()}"
    items = [{"drink": "espresso", "size": "small", "quantity": 1}]
    first = shop.place(member, items, key)
    second = shop.place(member, items, key)
    assert first.status == 201 and second.status == 200
    assert first.json()["orderId"] == second.json()["orderId"]
    reused = shop.place(member, [{"drink": "tea", "size": "small", "quantity": 1}], key)
    assert 400 <= reused.status < 500
    orders = shop.orders.get(f"/members/{member}/orders").json()["orders"]
    assert len(orders) == 1


def test_redelivered_events_change_nothing(shop, broker):
    member = shop.register("Edsger")
    ids = [shop.place(member, key=f"re-{uuid.uuid4()}").json()["orderId"] for _ in range(5)]
    # Every order (also earlier tests') must be final first: a consistent shop can still have
    # orders brewing, whose later events would add notifications after the snapshot.
    final = {"READY", "COMPLETED", "CANCELLED", "FAILED"}
    wait_until(lambda: all(o["status"] in final for o in shop.snapshot(shop.orders)["orders"]), 60,
               "every order to reach a final status")
    assert shop.verify(wait=60).returncode == 0
    notes_before = shop.snapshot(shop.notifications)["notifications"]
    tickets_before = shop.snapshot(shop.barista)["orders"]
    before_dups = metric(shop.notifications, "kaffee_service_duplicates_total")
    # Replay every record of the event topics (same event ids, new offsets): a redelivery. The
    # workers' results too: the order desk applies them by ticket state.
    for topic in ("coffee.orders", "coffee.barista", "coffee.brew-results"):
        records = read_topic(broker, topic)
        assert records, topic
        produce(broker, topic, [(r.key, r.value, r.headers, r.partition) for r in records])
    wait_until(lambda: metric(shop.notifications, "kaffee_service_duplicates_total") >= before_dups + 10, 30,
               "the replayed events to be seen and skipped")
    assert shop.verify(wait=60).returncode == 0
    assert len(shop.snapshot(shop.notifications)["notifications"]) == len(notes_before)
    assert len(shop.snapshot(shop.barista)["orders"]) == len(tickets_before)
    assert all(order_status(shop, i) in ("READY", "FAILED", "CANCELLED") for i in ids)


def test_services_metrics_pass_promtool(shop):
    """Every service's and worker's /metrics is valid Prometheus text (promtool's parser and
    linter), after an order went through so the labelled families have series."""
    member = shop.register("Prom")
    r = shop.place(member, [{"drink": "espresso", "size": "small", "quantity": 1}], key=f"k-{uuid.uuid4()}")
    assert r.status == 201, r.body
    wait_until(lambda: order_status(shop, r.json()["orderId"]) == "READY", 30, "order READY")
    for target in [*shop.services.values(), *shop.workers]:
        text = target.get("/metrics").body.decode()
        assert text.strip(), f"{target.name}: empty /metrics"
        checked = subprocess.run(["promtool", "check", "metrics"], input=text.encode(), capture_output=True, timeout=30)
        assert checked.returncode == 0, f"{target.name}: {checked.stdout.decode()}{checked.stderr.decode()}"


def metric(service: Service, name: str) -> float:
    text = service.get("/metrics").body.decode()
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_poison_event_goes_to_the_dead_letter_topic_and_the_partition_moves_on(shop, broker):
    # Garbage and an unknown event type, keyed like real orders, on every partition of coffee.orders.
    poison = []
    for p in range(6):
        poison.append((f"poison-{p}".encode(), b"{this is not an event", [("type", b"OrderPlaced")], p))
        unknown = json.dumps({"eventId": str(uuid.uuid4()), "type": "OrderTeleported", "schemaVersion": 1,
                              "occurredAt": "2026-01-01T00:00:00Z", "aggregateId": "x", "payload": {}}).encode()
        poison.append((f"unknown-{p}".encode(), unknown, [], p))
    produce(broker, "coffee.orders", poison)
    member = shop.register("Margaret")
    ids = [shop.place(member, key=f"after-poison-{uuid.uuid4()}").json()["orderId"] for _ in range(12)]
    wait_until(lambda: all(order_status(shop, i) == "READY" for i in ids), 60, "orders after the poison to be READY")

    def letters():
        got = read_topic(broker, "coffee.dlq", timeout=5)
        mine = [r for r in got if r.key and (r.key.startswith(b"poison-") or r.key.startswith(b"unknown-"))]
        # barista-service and notification-service both consume coffee.orders: 2 letters each.
        return mine if len(mine) >= 24 else None
    dead = wait_until(letters, 60, "24 dead letters")
    assert len(dead) == 24
    for r in dead:
        h = {k: v.decode() for k, v in r.headers}
        assert h["dlq.originalTopic"] == "coffee.orders"
        assert int(h["dlq.originalPartition"]) in range(6)
        assert int(h["dlq.originalOffset"]) >= 0
        assert h["dlq.consumer"] in ("barista-service", "notification-service")
        assert h["dlq.error"]
        assert r.value in [v for _, v, _, _ in poison]
    assert shop.verify(wait=60).returncode == 0


def kill_mid_drink(worker, timeout: float = 3.0) -> bool:
    """SIGKILLs `worker` as soon as it is brewing a drink (at the latest after `timeout`);
    true when it was caught holding one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.is_brewing():
            worker.kill()
            return True
        time.sleep(0.002)
    worker.kill()
    return False


def test_the_services_consume_with_kafkas_consumer_group_protocol(shop, broker):
    """Against kaffeed the services' consumers speak KIP-848 (their default, `auto`), as static
    members, and each group carries the session timeout the service set on it at start."""
    from confluent_kafka.admin import AdminClient, ConfigResource, ResourceType
    from kafkahelpers import ck_common
    admin = AdminClient(ck_common(broker))
    groups = ["order-service", "barista-service", "notification-service"]

    def all_stable():
        found = {g: f.result(timeout=15) for g, f in admin.describe_consumer_groups(groups).items()}
        # Right after a (re)start a member may still be reconciling its first assignment.
        return found if all(str(d.state).endswith("STABLE") for d in found.values()) else None
    described = wait_until(all_stable, 20, "the services' groups to be stable")
    for group, d in described.items():
        assert str(d.type).endswith("CONSUMER"), (group, d.type)
        assert str(d.state).endswith("STABLE"), (group, d.state)
        assert [m.group_instance_id for m in d.members] == [f"{group}-1"], d.members
        assert d.members[0].assignment.topic_partitions, f"{group} owns no partition"
    resources = [ConfigResource(ResourceType.GROUP, g) for g in groups]
    for resource, future in admin.describe_configs(resources).items():
        configs = future.result(timeout=15)
        assert configs["consumer.session.timeout.ms"].value == "6000", resource


@pytest.mark.parametrize("victim", ["order-service", "barista-service", "notification-service", "kaffeed",
                                    "barista-workers", "barista-workers-not-restarted"])
def test_sigkill_under_load_loses_and_doubles_nothing(shop, broker, victim):
    members = [shop.register(f"Load {i}") for i in range(5)]
    caught_brewing = []
    try:
        with OrderLoad(shop, members, rate=40) as load:
            wait_until(lambda: len(load.placed) >= 40, 30, "load to start")
            for round in range(2):
                if victim == "kaffeed":
                    broker.kill()
                    time.sleep(0.3)
                    broker.start()
                elif victim == "barista-workers":
                    # Two of the three workers die mid-drink and come back; another pair next round.
                    victims = shop.workers[:2] if round == 0 else shop.workers[1:]
                    caught_brewing += [kill_mid_drink(w) for w in victims]
                    time.sleep(0.3)
                    for w in victims:
                        w.start(wait_ready=False)
                    for w in victims:
                        w.wait_ready()
                elif victim == "barista-workers-not-restarted":
                    # Two of the three die mid-drink and stay dead: the last one brews everything.
                    if round == 0:
                        caught_brewing += [kill_mid_drink(w) for w in shop.workers[:2]]
                else:
                    svc = shop.services[victim]
                    svc.kill()
                    time.sleep(0.3)
                    svc.start()
                count = len(load.placed)
                wait_until(lambda: len(load.placed) >= count + 40, 60, "load to continue after the restart")
        assert not load.errors, load.errors[:5]
        if victim.startswith("barista-workers"):
            assert any(caught_brewing), "no worker was caught holding a drink"
        # No drink was lost (a killed worker's came back to a live one; a restarted broker kept
        # the share group's state): every order settles.
        shop.wait_all_final(timeout=60)
        result = shop.verify(wait=60)
        assert result.returncode == 0, result.stdout + result.stderr
        known = {o["orderId"] for o in shop.snapshot(shop.orders)["orders"]}
        assert set(load.placed.values()) <= known, "an acknowledged order was lost"
        assert len(set(load.placed.values())) == len(load.placed), "one idempotency key made two orders"
    finally:
        shop.start_workers()


def brew_results(broker, order_id: str) -> list[dict]:
    """The events on coffee.brew-results for `order_id`, in offset order (they share a key)."""
    records = [r for r in read_topic(broker, "coffee.brew-results", timeout=5) if r.key == order_id.encode()]
    return [json.loads(r.value) for r in sorted(records, key=lambda r: r.offset)]


def ticket_status(shop: Shop, order_id: str) -> str | None:
    r = shop.barista.get(f"/tickets/{order_id}")
    return r.json().get("status") if r.status == 200 else None


def test_a_drink_that_keeps_failing_is_dead_lettered_and_its_order_fails(shop, broker):
    """Every attempt breaks the machine (one worker with BARISTA_FAIL_RATE=1 takes the queue
    alone): after BARISTA_MAX_ATTEMPTS deliveries the drink's DrinkRequested goes to coffee.dlq
    with dlq.* headers, DrinkFailed is published, the order is FAILED in both services, and
    every consistency check passes (check 4 accepts the letters of a FAILED order)."""
    shop.wait_all_final()
    shop.stop_workers()
    broken = shop.extra_worker("broken-worker", {"BARISTA_FAIL_RATE": "1", "BARISTA_MAX_ATTEMPTS": "2"})
    try:
        broken.start()
        member = shop.register("Murphy")
        r = shop.place(member, [{"drink": "mocha", "size": "small", "quantity": 1},
                                {"drink": "tea", "size": "small", "quantity": 1}], key=f"fail-{uuid.uuid4()}")
        assert r.status == 201, r.body
        order_id = r.json()["orderId"]
        wait_until(lambda: order_status(shop, order_id) == "FAILED", 30, "the order FAILED in the order-service")
        wait_until(lambda: ticket_status(shop, order_id) == "FAILED", 30, "the order FAILED in the barista-service")

        def letters():
            got = [r for r in read_topic(broker, "coffee.dlq", timeout=5) if r.key == order_id.encode()]
            return got if len(got) >= 2 else None
        # Both drinks fail (the second after its order already failed): one letter each.
        dead = wait_until(letters, 30, "both drinks on coffee.dlq")
    finally:
        if broken.proc is not None:
            broken.stop()
        shop.start_workers()
    assert len(dead) == 2
    for letter in dead:
        h = {k: v.decode() for k, v in letter.headers}
        assert h["dlq.originalTopic"] == "coffee.brew-queue", h
        assert int(h["dlq.originalPartition"]) in (0, 1)
        assert int(h["dlq.originalOffset"]) >= 0
        assert h["dlq.consumer"] == broken.name
        assert h["dlq.attempts"] == "2"
        assert "broke" in h["dlq.error"], h
        assert h["dlq.failedAt"]
        assert h["type"] == "DrinkRequested"
        event = json.loads(letter.value)
        assert event["type"] == "DrinkRequested" and event["payload"]["orderId"] == order_id
    results = brew_results(broker, order_id)
    failed = [e for e in results if e["type"] == "DrinkFailed"]
    assert len(failed) == 2 and all(e["payload"]["attempts"] == 2 for e in failed), results
    assert not [e for e in results if e["type"] == "DrinkBrewed"], results
    for ticket in {e["payload"]["ticketId"] for e in failed}:
        attempts = sorted(e["payload"]["attempt"] for e in results
                          if e["type"] == "DrinkStarted" and e["payload"]["ticketId"] == ticket)
        assert attempts == [1, 2], results
    history = [h["status"] for h in shop.orders.get(f"/orders/{order_id}").json()["history"]]
    assert history[-1] == "FAILED", history

    def failed_note():
        n = shop.notifications.get(f"/notifications?orderId={order_id}").json()["notifications"]
        return any(x["kind"] == "failed" for x in n)
    wait_until(failed_note, 30, "the 'failed' notification")
    result = shop.verify(wait=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_worker_killed_while_holding_a_drink_loses_nothing(shop, broker):
    """A worker SIGKILLed in the middle of a drink never acknowledged it: once the record lock
    (BARISTA_LOCK_MS) expires the drink is delivered again, to another worker (attempt 2),
    and the order becomes READY."""
    shop.wait_all_final()
    shop.stop_workers()
    slow = shop.extra_worker("slow-worker", {"BARISTA_BREW_MS": "60000"})
    try:
        slow.start()
        member = shop.register("Held")
        r = shop.place(member, [{"drink": "espresso", "size": "small", "quantity": 1}], key=f"held-{uuid.uuid4()}")
        assert r.status == 201, r.body
        order_id = r.json()["orderId"]

        def started_by_slow():
            return any(e["type"] == "DrinkStarted" and e["payload"]["worker"] == slow.name
                       for e in brew_results(broker, order_id))
        wait_until(started_by_slow, 30, "the slow worker to start the drink")
        assert slow.is_brewing()
        slow.kill()
        shop.start_workers()
        wait_until(lambda: order_status(shop, order_id) == "READY", 30, "the order READY after the redelivery")
    finally:
        if slow.proc is not None:
            slow.kill()
        shop.start_workers()
    results = brew_results(broker, order_id)
    started = [(e["payload"]["worker"], e["payload"]["attempt"]) for e in results if e["type"] == "DrinkStarted"]
    names = {w.name for w in shop.workers}
    assert started[0] == (slow.name, 1), results
    assert any(worker in names and attempt == 2 for worker, attempt in started), results
    brewed = [e["payload"] for e in results if e["type"] == "DrinkBrewed"]
    assert len(brewed) == 1 and brewed[0]["worker"] in names and brewed[0]["attempt"] >= 2, results
    result = shop.verify(wait=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_events_with_unknown_fields_are_accepted(shop, broker):
    """Additive evolution: an OrderPlaced with extra envelope and payload fields is handled."""
    member = shop.register("Evolving")
    order_id = str(uuid.uuid4())
    event = {"eventId": str(uuid.uuid4()), "type": "OrderPlaced", "schemaVersion": 1,
             "occurredAt": "2026-11-24T10:00:00.000Z", "aggregateId": order_id, "traceparent": "00-abc-01",
             "payload": {"orderId": order_id, "memberId": member, "placedAt": "2026-11-24T10:00:00.000Z",
                         "loyaltyTier": "gold",
                         "items": [{"drink": "tea", "size": "small", "quantity": 1, "milk": "oat"}]}}
    produce(broker, "coffee.orders", [(order_id.encode(), json.dumps(event).encode(),
                                       [("type", b"OrderPlaced"), ("schemaVersion", b"1")], None)])

    def ticket():
        r = shop.barista.get(f"/tickets/{order_id}")
        return r.status == 200 and r.json()
    wait_until(ticket, 30, "the barista to accept the evolved event")

    def received():
        n = shop.notifications.get(f"/notifications?orderId={order_id}").json()["notifications"]
        return [x for x in n if x["kind"] == "received"]
    wait_until(received, 30, "the notification-service to accept the evolved event")


def test_every_emitted_event_matches_its_contract(shop, broker):
    """Every record the services wrote to the event topics validates against its schema in
    Topics/, carries matching type/schemaVersion headers, and is keyed by its aggregate id."""
    import jsonschema
    schemas = {}
    for path in (REPO / "Topics").glob("*/events/*.schema.json"):
        event, version = path.name.split(".schema.json")[0].rsplit(".v", 1)
        schemas[(path.parent.parent.name, event, int(version))] = json.loads(path.read_text())
    seen = {}
    for topic in ("coffee.members", "coffee.orders", "coffee.barista", "coffee.brew-queue", "coffee.brew-results"):
        for r in read_topic(broker, topic):
            try:
                value = json.loads(r.value)
            except ValueError:
                continue  # the poison test's garbage
            if not isinstance(value, dict) or value.get("type") == "OrderTeleported":
                continue
            schema = schemas.get((topic, value.get("type"), value.get("schemaVersion")))
            assert schema is not None, f"{topic}: no schema for {value.get('type')} v{value.get('schemaVersion')}"
            jsonschema.Draft202012Validator(schema).validate(value)
            headers = {k: v.decode() for k, v in r.headers}
            assert headers.get("type") == value["type"] and headers.get("schemaVersion") == str(value["schemaVersion"])
            assert r.key == value["aggregateId"].encode()
            seen[value["type"]] = seen.get(value["type"], 0) + 1
    assert set(seen) >= {"MemberRegistered", "OrderPlaced", "OrderBrewingStarted", "OrderReady", "OrderPickedUp",
                         "OrderFailed", "DrinkRequested", "DrinkStarted", "DrinkBrewed", "DrinkFailed"}, seen


def test_service_waits_for_a_broker_that_is_down_at_start(shop, tmp_path):
    port = free_port()

    class Missing:
        bootstrap = f"127.0.0.1:{port}"
    svc = Service("notification-service", shop)
    svc.db = tmp_path / "late.sqlite"
    svc.extra_env = {"KAFFEE_BROKERS": Missing.bootstrap, "SERVICE_INSTANCE_ID": "late-1", "SERVICE_GROUP_ID": "late"}
    svc.start(wait_ready=False)
    try:
        r = wait_until(lambda: svc.healthz(), 20, "health endpoint")
        assert r.status == 503
        assert "broker" in r.json()["reason"]
        time.sleep(1)
        assert svc.proc.poll() is None, "service gave up instead of waiting"
        assert svc.healthz().status == 503
    finally:
        svc.stop()


def test_corrupt_database_is_a_clear_error(shop, tmp_path):
    db = tmp_path / "corrupt.sqlite"
    db.write_bytes(b"this is not an SQLite database, just bytes" * 200)
    svc = Service("order-service", shop)
    svc.db = db
    svc.start(wait_ready=False)
    code = svc.proc.wait(timeout=30)
    svc.proc = None
    log = svc.log_paths[-1].read_text()
    assert code == 1, log
    assert "cannot open database" in log and "not a database" in log, log
    assert db.read_bytes() == b"this is not an SQLite database, just bytes" * 200, "the file was changed"


def test_locked_database_is_waited_for(shop, tmp_path):
    import sqlite3
    db = tmp_path / "locked.sqlite"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    svc = Service("barista-service", shop,
                  {"SERVICE_INSTANCE_ID": "locked-1", "SERVICE_GROUP_ID": "locked-barista"})
    svc.db = db
    svc.start(wait_ready=False)
    try:
        wait_until(lambda: "locked" in svc.log_paths[-1].read_text(), 30, "a 'locked' warning")
        assert svc.proc.poll() is None, "the service gave up on a locked database\n" + svc.log_tail()
        holder.execute("ROLLBACK")
        holder.close()
        svc.wait_ready(timeout=30)
    finally:
        svc.stop()


def test_a_new_notification_service_rebuilds_members_from_the_compacted_topic(shop, broker, tmp_path):
    """coffee.members is compacted: replayed (superseded) member records are removed, and a
    notification-service started from scratch still learns every member from offset 0."""
    from confluent_kafka.admin import AdminClient, AlterConfigOpType, ConfigEntry, ConfigResource
    for i in range(8):
        shop.register(f"Rebuild {i}")
    wait_until(lambda: len(read_topic(broker, "coffee.members")) >= 8, 30, "the registrations on coffee.members")
    # Every member record once more: the older copies are now superseded by key.
    records = read_topic(broker, "coffee.members")
    produce(broker, "coffee.members", [(r.key, r.value, r.headers, r.partition) for r in records])
    members = {r.key for r in records}
    # Let the cleaner reach the records soon: roll idle segments after 100 ms, compact at once.
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    resource = ConfigResource(ConfigResource.Type.TOPIC, "coffee.members", incremental_configs=[
        ConfigEntry("segment.ms", "100", incremental_operation=AlterConfigOpType.SET),
        ConfigEntry("min.cleanable.dirty.ratio", "0.01", incremental_operation=AlterConfigOpType.SET),
    ])
    for future in admin.incremental_alter_configs([resource]).values():
        future.result(timeout=20)

    def compacted():
        current = read_topic(broker, "coffee.members", timeout=5)
        return {r.key for r in current} == members and len(current) == len(members)
    wait_until(compacted, 60, "coffee.members to be compacted to one record per member")

    fresh = Service("notification-service", shop, extra_env={
        "SERVICE_GROUP_ID": f"notify-rebuild-{uuid.uuid4().hex[:6]}",
        "SERVICE_INSTANCE_ID": "notify-rebuild-1",
        "SERVICE_DB_PATH": str(tmp_path / "rebuild.sqlite"),
    })
    fresh.starts = 100  # its log files must not overwrite the shop's own notification-service logs
    fresh.start()
    try:
        wait_until(lambda: fresh.get("/admin/stats").json()["contacts"] >= len(members), 60,
                   "the new notification-service to rebuild every member")
        assert fresh.get("/admin/stats").json()["contacts"] == len(members)
        assert shop.notifications.get("/admin/stats").json()["contacts"] == len(members)
    finally:
        fresh.stop()


def test_kaffee_demo_main_job(tmp_path):
    # Ports below the kernel's ephemeral range (32768+ here), where the client sockets of
    # earlier tests cannot be holding them; another base if one is taken anyway.
    for attempt in range(5):
        base = 20000 + (os.getpid() * 7 + attempt * 1300) % 10000 // 100 * 100
        result = subprocess.run(
            [str(bin_dir() / "kaffee"), "demo", "--orders", "120", "--rate", "60", "--workers", "3", "--fail-rate", "0",
             "--data-dir", str(tmp_path / f"demo{attempt}"), "--topics", str(REPO / "Topics"), "--base-port", str(base)],
            capture_output=True, text=True, timeout=240)
        out = result.stdout + result.stderr
        if "is in use" not in out:
            break
    assert result.returncode == 0, out
    assert "verdict: CONSISTENT (4/4 checks passed)" in out
    assert re.search(r"orders placed\s+120 ", out), out
    assert "placed → ready" in out and "dead letters        0" in out
    # The three workers shared the queue; every drink was brewed by one of them.
    workers = re.search(r"barista workers\s+(\d+) brewed (\d+) drinks from the brewing queue: (.*)", out)
    assert workers and workers.group(1) == "3", out
    per_worker = dict(re.findall(r"(worker-\d+) (\d+)", workers.group(3)))
    assert sum(int(n) for n in per_worker.values()) == int(workers.group(2)) > 0, out


def test_kaffee_demo_secure_runs_the_shop_least_privileged(tmp_path):
    """`kaffee demo --secure`: kaffeed only on a SASL_PLAINTEXT listener with --authorizer acl;
    every service and worker logs in as its own user and holds only the ACLs Topics/ implies;
    the shop still converges and every check passes; no password reaches the output or the logs."""
    for attempt in range(5):
        base = 30000 + (os.getpid() * 11 + attempt * 1300) % 2000 // 100 * 100
        data = tmp_path / f"secure{attempt}"
        result = subprocess.run(
            [str(bin_dir() / "kaffee"), "demo", "--secure", "--orders", "60", "--rate", "40", "--workers", "2", "--fail-rate", "0",
             "--data-dir", str(data), "--topics", str(REPO / "Topics"), "--base-port", str(base)],
            capture_output=True, text=True, timeout=240)
        out = result.stdout + result.stderr
        if "is in use" not in out:
            break
    assert result.returncode == 0, out
    assert "secure: SASL_PLAINTEXT (SCRAM-SHA-512), 5 users, 44 ACLs" in out, out
    assert "verdict: CONSISTENT (4/4 checks passed)" in out, out
    passwords = [(data / "secrets" / user).read_text().strip()
                 for user in ("admin", "order-service", "barista-service", "notification-service", "barista-worker")]
    logs = out + "".join(p.read_text(errors="replace") for p in (data / "logs").iterdir())
    assert not any(p in logs for p in passwords), "a password reached the output or a log"
    assert "authentication failed" not in logs.lower(), "a service could not log in"
