"""The coffee shop least-privileged: kaffeed with a SASL_PLAINTEXT listener and the ACL
authorizer; every service and barista worker logs in as its own user (SCRAM-SHA-512) and holds
only the ACLs `kaffee acls apply Topics/` derives from the declarations. One service's ACL is
revoked mid-run: its events wait (nothing is lost), and restoring the ACL lets it catch up.

The test itself (and `kaffee verify`) uses the PLAINTEXT listener, as `User:ANONYMOUS`, which is
a super user here so that the harness can see everything; the services never use it."""

from __future__ import annotations

import subprocess

import pytest

from conftest import REPO, SaslBroker, _LIVE_BROKERS, _finish
from shophelpers import SHOP_BROKER_ARGS, OrderLoad, Shop, bin_dir, wait_until

USERS = {name: f"{name}-secret" for name in
         ("admin", "order-service", "barista-service", "notification-service", "barista-worker")}


@pytest.fixture(scope="module")
def secure_shop(tmp_path_factory):
    base = tmp_path_factory.mktemp("secure-shop")
    sasl = SaslBroker(base, USERS, ["--topics", str(REPO / "Topics"), "--group-initial-rebalance-delay-ms", "0",
                                    "--group-min-session-timeout-ms", "1000", "--authorizer", "acl",
                                    "--super-users", "User:admin;User:ANONYMOUS", *SHOP_BROKER_ARGS])
    sasl.broker.start()
    _LIVE_BROKERS.append(sasl.broker)
    applied = kaffee(sasl, "acls", "apply", str(REPO / "Topics"))
    assert applied.returncode == 0, applied.stderr
    shop = Shop(sasl.broker, base / "shop")
    (base / "shop").mkdir()
    for service in [*shop.services.values(), *shop.workers]:
        user = "barista-worker" if service in shop.workers else service.name
        service.extra_env.update({"KAFFEE_BROKERS": sasl.sasl_bootstrap, "KAFFEE_SASL_MECHANISM": "SCRAM-SHA-512",
                                  "KAFFEE_SASL_USERNAME": user, "KAFFEE_SASL_PASSWORD": USERS[user]})
    shop.start()
    yield sasl, shop
    shop.stop()
    _finish(sasl.broker)


def kaffee(sasl, *args) -> subprocess.CompletedProcess:
    """`kaffee ARGS` against the PLAINTEXT listener (User:ANONYMOUS, a super user here)."""
    return subprocess.run([str(bin_dir() / "kaffee"), *args, "--brokers", sasl.broker.bootstrap],
                          capture_output=True, text=True, timeout=60)


def test_the_shop_runs_with_only_its_declared_acls(secure_shop):
    sasl, shop = secure_shop
    member = shop.register("Grace")
    order = shop.place(member).json()["orderId"]
    wait_until(lambda: len(shop.notifications.get(f"/notifications?orderId={order}").json()["notifications"]) >= 2,
               30, "the order's notifications")
    listed = kaffee(sasl, "acls", "list", "--principal", "User:notification-service").stdout
    assert "READ\tTOPIC\tcoffee.orders" in listed and "WRITE\tTOPIC\tcoffee.orders" not in listed, listed


def test_a_revoked_acl_makes_events_wait_and_restoring_it_catches_up(secure_shop):
    sasl, shop = secure_shop
    members = [shop.register(f"Revoked {i}") for i in range(3)]
    acl = ["--topic", "coffee.orders", "--principal", "User:notification-service", "--operation", "READ"]
    with OrderLoad(shop, members, rate=15) as load:
        wait_until(lambda: len(load.placed) >= 10, 30, "load to start")
        revoked = kaffee(sasl, "acls", "delete", *acl)
        assert revoked.returncode == 0 and "deleted" in revoked.stdout, revoked.stderr
        # The notification-service's fetches of coffee.orders are refused from now on.
        wait_until(lambda: "topicAuthorizationFailed" in (shop.notifications.log_paths[-1].read_text(errors="replace")),
                   30, "the notification-service to be refused")
        notified = len(shop.snapshot(shop.notifications)["notifications"])
        count = len(load.placed)
        wait_until(lambda: len(load.placed) >= count + 15, 30, "more orders while revoked")
    # Every order settles at the order desk and the baristas, but while the ACL is revoked the
    # notification-service (blocked on coffee.orders) notifies nobody: its events wait.
    shop.wait_all_final(timeout=60)
    assert len(shop.snapshot(shop.notifications)["notifications"]) == notified
    restored = kaffee(sasl, "acls", "create", *acl)
    assert restored.returncode == 0, restored.stderr
    # It catches up: every consistency check passes, so each event was notified exactly once.
    result = shop.verify(wait=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not load.errors, load.errors[:5]
