"""The coffee board end to end: kaffeed, the shop's services and one barista worker as real
processes, the board page in headless Chromium (driven over the DevTools pipe, see
headless.py).

The page renders and goes live (its script applied the SSE snapshot, no script error); an
order placed through the API shows up on the live page and reaches the READY column through
the SSE change events; a customer name that is markup stays text; the page reads that order's
delivered notification from the notification-service (CORS, ORDER_BOARD_NOTIFICATIONS_URL)
and shows it as text; the page's own form places an order. A screenshot goes to $KAFFEE_ARTIFACTS_DIR (default .build/interop-artifacts).
"""

from __future__ import annotations

import http.client
import json
import os
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO
from headless import HeadlessChromium, chromium_binary
from shophelpers import SHOP_BROKER_ARGS, Shop

BROKER_ARGS = ["--topics", str(REPO / "Topics"), "--group-initial-rebalance-delay-ms", "0",
               "--group-min-session-timeout-ms", "1000", *SHOP_BROKER_ARGS]

ARTIFACTS = Path(os.environ.get("KAFFEE_ARTIFACTS_DIR", REPO / ".build" / "interop-artifacts"))


@pytest.fixture(scope="module")
def shop(broker, tmp_path_factory):
    s = Shop(broker, tmp_path_factory.mktemp("board"), workers=1)
    # The page reads delivered notifications from this notification-service (in the browser).
    s.orders.extra_env["ORDER_BOARD_NOTIFICATIONS_URL"] = s.notifications.url
    s.start()
    yield s
    s.stop()


@pytest.fixture
def browser():
    binary = chromium_binary()
    if binary is None:
        pytest.fail("chromium is not installed: run scripts/install-test-deps (interop/run does)")
    b = HeadlessChromium(binary, width=1280, height=800)
    yield b
    b.close()


def first_event(port: int, timeout: float = 10) -> tuple[str, dict]:
    """Reads the first event of GET /board/events straight off the socket."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/board/events")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        assert response.getheader("Content-Length") is None
        fields: dict[str, str] = {}
        while True:
            line = response.fp.readline().decode().rstrip("\n")
            if line == "" and fields:
                return fields.get("event", "message"), json.loads(fields["data"])
            if ":" in line and not line.startswith(":"):
                name, value = line.split(":", 1)
                fields[name] = value[1:] if value.startswith(" ") else value
    finally:
        connection.close()


def card_status(order_id: str) -> str:
    """JS: the status column the order's card is in, or '' (the id goes in as a JSON string)."""
    return ("(function () { var cards = document.querySelectorAll('.columns .card');"
            " for (var i = 0; i < cards.length; i++) if (cards[i].getAttribute('data-order-id') === "
            f"{json.dumps(order_id)}) return cards[i].closest('ol').id.replace('column-', ''); return ''; }})()")


def test_board_goes_live_and_follows_an_order_to_ready(shop, browser):
    page = shop.orders.get("/board")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert b'id="column-READY"' in page.body
    assert f"connect-src 'self' {shop.notifications.url};" in page.headers["Content-Security-Policy"]
    assert shop.notifications.get("/notifications/feed?limit=1").headers["Access-Control-Allow-Origin"] == "*"
    event, snapshot = first_event(shop.orders.port)
    assert event == "snapshot" and "cards" in snapshot and "queueDepth" in snapshot

    browser.open(shop.orders.url + "/board")
    browser.wait_for("document.documentElement && document.documentElement.getAttribute('data-board-state') === 'live'",
                     20, "the board to go live")
    assert browser.evaluate("document.documentElement.getAttribute('data-board-error')") is None

    # Placed after the page went live: it can only arrive through the SSE change events.
    name = '<img src=x onerror="document.title=1">'
    member = shop.register(name, email=f"{uuid.uuid4().hex[:8]}@example.com")
    r = shop.place(member, [{"drink": "latte", "size": "small", "quantity": 1}], key=f"board-{uuid.uuid4()}")
    assert r.status == 201, r.body
    order_id = r.json()["orderId"]
    browser.wait_for(card_status(order_id) + " === 'READY'", 30, f"order {order_id} READY on the board")

    customer = browser.evaluate(
        "Array.prototype.filter.call(document.querySelectorAll('.columns .card'), function (c) {"
        f" return c.getAttribute('data-order-id') === {json.dumps(order_id)}; }})[0].querySelector('.customer').textContent")
    assert customer == name  # shown as text ...
    assert browser.evaluate("document.querySelectorAll('main img').length") == 0  # ... never as markup
    assert browser.evaluate("document.title") == "Kaffee coffee board"
    assert browser.evaluate("document.getElementById('activity').textContent").count("#" + order_id[-8:]) >= 2

    # The READY notification, read by the page from the notification-service; the name in its
    # message stays text there too.
    ready_note = ("Array.prototype.filter.call(document.querySelectorAll('#notifications li'), function (li) {"
                  f" return li.getAttribute('data-order-id') === {json.dumps(order_id)} &&"
                  " li.getAttribute('data-kind') === 'ready'; })[0]")
    message = browser.wait_for(f"({ready_note} || {{}}).textContent", 30, f"order {order_id}'s ready notification")
    assert name in message and "ready" in message
    assert browser.evaluate(f"{ready_note}.querySelectorAll('*').length") == 2  # the two spans, nothing injected
    assert browser.evaluate("document.documentElement.getAttribute('data-notifications')") == "live"
    assert browser.evaluate("document.documentElement.getAttribute('data-board-error')") is None

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = browser.screenshot(ARTIFACTS / "coffee-board.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_page_form_places_an_order(shop, browser):
    browser.open(shop.orders.url + "/board")
    browser.wait_for("document.documentElement && document.documentElement.getAttribute('data-board-state') === 'live'",
                     20, "the board to go live")
    customer = f"Form {uuid.uuid4().hex[:6]}"
    browser.evaluate(
        f"document.getElementById('order-name').value = {json.dumps(customer)};"
        "document.getElementById('order-email').value = 'form@example.com';"
        "document.getElementById('order-drink').value = 'espresso';"
        "document.getElementById('order-form').requestSubmit(); true")
    result = browser.wait_for("(document.getElementById('order-result').textContent.match(/placed|rejected|failed/)"
                              " || [])[0]", 20, "the form's result")
    assert result == "placed", browser.evaluate("document.getElementById('order-result').textContent")
    browser.wait_for(
        "Array.prototype.some.call(document.querySelectorAll('#column-READY .customer'), function (c) {"
        f" return c.textContent === {json.dumps(customer)}; }})", 30, "the form's order READY on the board")
