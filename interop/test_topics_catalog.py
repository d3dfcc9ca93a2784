"""The coffee shop's topic catalog (Topics/, see Topics/README.md) as a contract:

- every topic.json is well formed, names its directory, and lists events that have a schema
  and an example;
- every schema is a valid draft 2020-12 schema, every example validates, an example with
  unknown extra fields still validates (additive evolution), and one missing a required
  field, or holding a value outside what the schema allows, does not;
- a kaffeed started with ``--topics Topics`` has every declared topic with its partition
  count and config (seen through confluent-kafka's admin client and ``kaffee topics apply``),
  and applying the catalog again on restart changes nothing.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker  # required: no skip if missing

from conftest import REPO
from kafkahelpers import ck_common

TOPICS_DIR = REPO / "Topics"
BROKER_ARGS = ["--topics", str(TOPICS_DIR)]

SERVICES = {"order-service", "barista-service", "notification-service", "barista-worker"}
KAFFEED_CONFIG_KEYS = {"cleanup.policy", "retention.ms", "retention.bytes", "segment.bytes", "segment.ms",
                       "max.message.bytes", "index.interval.bytes", "durability", "flush.ms"}
HEADER_NAMES = {"type", "schemaVersion", "correlationId"}
ENVELOPE_REQUIRED = ["eventId", "type", "schemaVersion", "occurredAt", "aggregateId", "payload"]

# Who produces and who consumes what, as coffee-shop.md states it.
EXPECTED = {
    "coffee.members": dict(key="memberId", producers={"order-service"}, consumers={"notification-service"},
                           events={"MemberRegistered"}),
    "coffee.orders": dict(key="orderId", producers={"order-service"},
                          consumers={"barista-service", "notification-service"},
                          events={"OrderPlaced", "OrderCancellationRequested", "OrderPickedUp"}),
    "coffee.barista": dict(key="orderId", producers={"barista-service"},
                           consumers={"order-service", "notification-service"},
                           events={"OrderBrewingStarted", "OrderReady", "OrderCancelled",
                                   "CancellationRejected", "OrderFailed"}),
    # The brewing queue: the order desk requests drinks, the workers (a share group) take them.
    "coffee.brew-queue": dict(key="orderId", producers={"barista-service"}, consumers={"barista-worker"},
                              events={"DrinkRequested"}),
    "coffee.brew-results": dict(key="orderId", producers={"barista-worker"}, consumers={"barista-service"},
                                events={"DrinkStarted", "DrinkBrewed", "DrinkFailed"}),
    "coffee.dlq": dict(producers=SERVICES, consumers=set(), events=set()),
}
BUSINESS_TOPICS = ["coffee.members", "coffee.orders", "coffee.barista", "coffee.brew-queue", "coffee.brew-results"]
EVENT_FILE = re.compile(r"^(?P<type>[A-Z][A-Za-z0-9]*)\.v(?P<version>[1-9][0-9]*)\.(?P<kind>schema|example)\.json$")


# ---------------------------------------------------------------- loading

def load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise AssertionError(f"{path.relative_to(REPO)} is not valid JSON: {e}")


def topic_dirs() -> list[Path]:
    assert TOPICS_DIR.is_dir(), f"{TOPICS_DIR} is missing"
    return sorted(p for p in TOPICS_DIR.iterdir() if p.is_dir())


def declarations() -> dict[str, dict]:
    return {d.name: load_json(d / "topic.json") for d in topic_dirs()}


def event_files() -> list[tuple[str, str, int, Path, Path]]:
    """(topic, event type, version, schema path, example path) for every event version."""
    out = []
    for d in topic_dirs():
        for schema in sorted((d / "events").glob("*.schema.json")):
            m = EVENT_FILE.match(schema.name)
            assert m, f"{schema.relative_to(REPO)}: name is not <EventType>.v<N>.schema.json"
            example = schema.with_name(f"{m['type']}.v{m['version']}.example.json")
            out.append((d.name, m["type"], int(m["version"]), schema, example))
    return out


EVENT_FILES = event_files() if TOPICS_DIR.is_dir() else []
EVENT_IDS = [f"{t}/{e}.v{v}" for t, e, v, _, _ in EVENT_FILES]


def validator(schema_path: Path) -> Draft202012Validator:
    # Formats (uuid, date-time, email) are checked too, not only the patterns.
    return Draft202012Validator(load_json(schema_path), format_checker=FormatChecker())


def errors(v: Draft202012Validator, instance) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in v.iter_errors(instance)]


def assert_valid(v: Draft202012Validator, instance, what: str) -> None:
    errs = errors(v, instance)
    assert not errs, f"{what} does not validate:\n  " + "\n  ".join(errs)


def assert_invalid(v: Draft202012Validator, instance, what: str) -> None:
    assert errors(v, instance), f"{what} validates but should not:\n{json.dumps(instance, indent=2)}"


# ---------------------------------------------------------------- topic declarations

def test_jsonschema_supports_draft_2020_12():
    from importlib.metadata import version
    major = int(version("jsonschema").split(".")[0])
    assert major >= 4, f"jsonschema {version('jsonschema')} is too old for draft 2020-12"


def test_catalog_has_the_coffee_shop_topics():
    assert sorted(declarations()) == sorted(EXPECTED), f"topics in {TOPICS_DIR}: {sorted(declarations())}"
    assert (TOPICS_DIR / "README.md").is_file()


@pytest.mark.parametrize("topic", sorted(EXPECTED))
def test_topic_declaration(topic):
    decl = load_json(TOPICS_DIR / topic / "topic.json")
    where = f"Topics/{topic}/topic.json"
    assert decl.get("name") == topic, f"{where}: name {decl.get('name')!r} is not the directory name"
    assert re.fullmatch(r"[a-zA-Z0-9._-]{1,249}", decl["name"]) and decl["name"] not in (".", "..")
    assert type(decl.get("partitions")) is int and decl["partitions"] > 0, f"{where}: partitions {decl.get('partitions')!r}"
    config = decl.get("config", {})
    assert isinstance(config, dict), f"{where}: config must be an object"
    for key, value in config.items():
        assert key in KAFFEED_CONFIG_KEYS, f"{where}: kaffeed does not accept config {key!r}"
        assert type(value) in (str, int), f"{where}: config {key} must be a string or an integer"
    assert str(config.get("cleanup.policy", "delete")) in ("delete", "compact", "compact,delete")
    assert str(config.get("durability", "always")) in ("always", "interval", "never")
    assert isinstance(decl.get("description"), str) and decl["description"].strip(), f"{where}: no description"
    assert isinstance(decl.get("key"), str) and decl["key"], f"{where}: no key"
    headers = decl.get("headers")
    assert isinstance(headers, dict) and HEADER_NAMES <= set(headers), f"{where}: headers must document {HEADER_NAMES}"

    expected = EXPECTED[topic]
    assert set(decl.get("producers", [])) == expected["producers"], f"{where}: producers"
    assert set(decl.get("consumers", [])) == expected["consumers"], f"{where}: consumers"
    assert set(decl["producers"]) | set(decl["consumers"]) <= SERVICES
    events = decl.get("events")
    assert isinstance(events, list) and len(events) == len(set(events)), f"{where}: events must be a list without repeats"
    assert set(events) == expected["events"], f"{where}: events {events}"
    if "key" in expected:
        assert decl["key"] == expected["key"], f"{where}: key {decl['key']!r}"

    # Every listed event has a v1 schema and example; every event file is for a listed event.
    listed = set(events)
    for event in events:
        for kind in ("schema", "example"):
            path = TOPICS_DIR / topic / "events" / f"{event}.v1.{kind}.json"
            assert path.is_file(), f"{event} is listed on {topic} but {path.relative_to(REPO)} is missing"
    for t, event, version, schema, example in EVENT_FILES:
        if t == topic:
            assert event in listed, f"{schema.relative_to(REPO)} is for {event}, which {where} does not list"
            assert example.is_file(), f"{schema.relative_to(REPO)} has no example {example.name}"
            if version > 1:
                assert (schema.with_name(f"{event}.v{version - 1}.schema.json")).is_file(), \
                    f"{schema.name}: a new version goes beside the previous one, which stays"
    for example in (TOPICS_DIR / topic / "events").glob("*.example.json"):
        assert example.with_name(example.name.replace(".example.", ".schema.")).is_file(), \
            f"{example.relative_to(REPO)} has no schema"


def test_business_topics_are_durable():
    decls = declarations()
    for topic in BUSINESS_TOPICS + ["coffee.dlq"]:
        assert str(decls[topic]["config"].get("durability")) == "always", f"{topic} must be durability=always"
    # Members: compacted (the latest record per member is kept forever), and an idle segment
    # rolls so the cleaner can reach it.
    members = decls["coffee.members"]["config"]
    assert members["cleanup.policy"] == "compact" and "retention.ms" not in members
    assert int(members["segment.ms"]) <= 86_400_000
    # Dead letters are kept longer than what they came from.
    dlq_ms = int(decls["coffee.dlq"]["config"]["retention.ms"])
    for topic in ("coffee.orders", "coffee.barista", "coffee.brew-queue", "coffee.brew-results"):
        assert dlq_ms > int(decls[topic]["config"]["retention.ms"]) > 0


def test_each_event_type_lives_on_one_topic():
    seen: dict[str, str] = {}
    for topic, decl in declarations().items():
        for event in decl["events"]:
            assert event not in seen, f"{event} is listed on both {seen[event]} and {topic}"
            seen[event] = topic


# ---------------------------------------------------------------- schemas and examples

@pytest.mark.parametrize("topic,event,version,schema_path,example_path", EVENT_FILES, ids=EVENT_IDS)
def test_schema_is_a_valid_versioned_envelope(topic, event, version, schema_path, example_path):
    schema = load_json(schema_path)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema", f"{schema_path.name}: $schema"
    Draft202012Validator.check_schema(schema)
    props = schema["properties"]
    assert set(ENVELOPE_REQUIRED) <= set(schema["required"]), f"{schema_path.name}: envelope required fields"
    assert "correlationId" in props and "correlationId" not in schema["required"]
    assert props["type"] == {**props["type"], "const": event}, f"{schema_path.name}: type must be const {event!r}"
    assert props["schemaVersion"].get("const") == version, f"{schema_path.name}: schemaVersion must be const {version}"
    assert props["eventId"].get("format") == "uuid"
    assert props["occurredAt"].get("format") == "date-time"
    assert props["payload"].get("type") == "object"

    # additionalProperties is true (never false) on every object schema.
    def walk(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object":
                assert node.get("additionalProperties") is True, f"{schema_path.name}: {where} must allow additional properties"
            for k, v in node.items():
                walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")
    walk(schema, "#")


@pytest.mark.parametrize("topic,event,version,schema_path,example_path", EVENT_FILES, ids=EVENT_IDS)
def test_example_validates(topic, event, version, schema_path, example_path):
    v = validator(schema_path)
    example = load_json(example_path)
    assert_valid(v, example, example_path.name)
    assert example["type"] == event and example["schemaVersion"] == version
    # The aggregate id is the record key, and it is the key field of the payload.
    key = load_json(TOPICS_DIR / topic / "topic.json")["key"]
    assert example["payload"][key] == example["aggregateId"], \
        f"{example_path.name}: aggregateId must equal payload.{key} (the record key)"


@pytest.mark.parametrize("topic,event,version,schema_path,example_path", EVENT_FILES, ids=EVENT_IDS)
def test_unknown_fields_are_accepted(topic, event, version, schema_path, example_path):
    """Additive evolution: a producer one minor step ahead adds fields; old consumers' schemas
    must still accept its events."""
    v = validator(schema_path)
    example = load_json(example_path)
    extended = copy.deepcopy(example)
    extended["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    extended["causationId"] = {"nested": ["anything", 1, None]}
    extended["payload"]["loyaltyPoints"] = 42
    extended["payload"]["note"] = {"free": "form"}
    for item in extended["payload"].get("items", []):
        item["milk"] = "oat"
    assert_valid(v, extended, f"{example_path.name} with unknown fields")
    # Optional fields may be left out.
    minimal = copy.deepcopy(example)
    minimal.pop("correlationId", None)
    payload_required = set(v.schema["properties"]["payload"]["required"])
    for field in list(minimal["payload"]):
        if field not in payload_required:
            del minimal["payload"][field]
    assert_valid(v, minimal, f"{example_path.name} without its optional fields")


@pytest.mark.parametrize("topic,event,version,schema_path,example_path", EVENT_FILES, ids=EVENT_IDS)
def test_missing_required_field_is_rejected(topic, event, version, schema_path, example_path):
    v = validator(schema_path)
    example = load_json(example_path)
    for field in v.schema["required"]:
        broken = copy.deepcopy(example)
        del broken[field]
        assert_invalid(v, broken, f"{example_path.name} without {field}")
    for field in v.schema["properties"]["payload"]["required"]:
        broken = copy.deepcopy(example)
        del broken["payload"][field]
        assert_invalid(v, broken, f"{example_path.name} without payload.{field}")


@pytest.mark.parametrize("topic,event,version,schema_path,example_path", EVENT_FILES, ids=EVENT_IDS)
def test_wrong_envelope_values_are_rejected(topic, event, version, schema_path, example_path):
    v = validator(schema_path)
    example = load_json(example_path)
    cases = {
        "another type": ("type", "SomethingElse"),
        "another schema version": ("schemaVersion", version + 1),
        "a version as text": ("schemaVersion", str(version)),
        "an eventId that is not a UUID": ("eventId", "not-a-uuid"),
        "an occurredAt that is not RFC 3339": ("occurredAt", "14/03/2025 08:05"),
        "an occurredAt without a zone": ("occurredAt", "2025-03-14T08:05:42"),
        "an empty aggregateId": ("aggregateId", ""),
        "a payload that is not an object": ("payload", [example["payload"]]),
        "a correlationId that is not a string": ("correlationId", 17),
    }
    for what, (field, value) in cases.items():
        broken = copy.deepcopy(example)
        broken[field] = value
        assert_invalid(v, broken, f"{example_path.name} with {what}")
    assert_invalid(v, [example], f"{example_path.name} inside an array")


def _event(event: str) -> tuple[Draft202012Validator, dict]:
    for _, e, version, schema_path, example_path in EVENT_FILES:
        if e == event and version == 1:
            return validator(schema_path), load_json(example_path)
    raise AssertionError(f"no v1 schema for {event}")


def test_order_placed_items_are_bounded():
    v, example = _event("OrderPlaced")
    item = example["payload"]["items"][0]

    def with_items(items):
        e = copy.deepcopy(example)
        e["payload"]["items"] = items
        return e

    assert_valid(v, with_items([dict(item, quantity=1)]), "one item of quantity 1")
    assert_valid(v, with_items([dict(item, quantity=10)] * 20), "20 items of quantity 10")
    for size in ("small", "medium", "large"):
        assert_valid(v, with_items([dict(item, size=size)]), f"size {size}")
    for what, items in {
        "no items": [],
        "21 items": [item] * 21,
        "quantity 0": [dict(item, quantity=0)],
        "quantity 11": [dict(item, quantity=11)],
        "a fractional quantity": [dict(item, quantity=1.5)],
        "size venti": [dict(item, size="venti")],
        "an empty drink": [dict(item, drink="")],
        "an item without a size": [{k: val for k, val in item.items() if k != "size"}],
        "an item that is not an object": ["latte"],
    }.items():
        assert_invalid(v, with_items(items), f"OrderPlaced with {what}")
    e = copy.deepcopy(example)
    e["payload"]["placedAt"] = "yesterday"
    assert_invalid(v, e, "OrderPlaced with placedAt 'yesterday'")


def test_member_registered_email_and_phone():
    v, example = _event("MemberRegistered")
    assert "phone" not in v.schema["properties"]["payload"]["required"]
    assert v.schema["properties"]["payload"]["properties"]["email"].get("format") == "email"
    for bad in ("not an email", "ada.example.com", ""):
        e = copy.deepcopy(example)
        e["payload"]["email"] = bad
        assert_invalid(v, e, f"MemberRegistered with email {bad!r}")


def test_reasons_where_required():
    for event, required in [("CancellationRejected", True), ("OrderFailed", True),
                            ("OrderCancellationRequested", False)]:
        v, _ = _event(event)
        assert ("reason" in v.schema["properties"]["payload"]["required"]) == required, event
    v, _ = _event("OrderBrewingStarted")
    assert "barista" in v.schema["properties"]["payload"]["properties"]
    assert v.schema["properties"]["payload"]["required"] == ["orderId"]


# ---------------------------------------------------------------- the catalog on a broker

def _describe(broker) -> dict[str, tuple[int, dict[str, str]]]:
    from confluent_kafka.admin import AdminClient, ConfigResource
    admin = AdminClient(ck_common(broker))
    md = admin.list_topics(timeout=10)
    out = {}
    for name in declarations():
        assert name in md.topics, f"{name} does not exist on the broker; it has {sorted(md.topics)}"
        assert md.topics[name].error is None, f"{name}: {md.topics[name].error}"
        res = ConfigResource(ConfigResource.Type.TOPIC, name)
        configs = admin.describe_configs([res])[res].result(timeout=10)
        out[name] = (len(md.topics[name].partitions), {k: c.value for k, c in configs.items()})
    return out


def _assert_matches_catalog(broker) -> None:
    described = _describe(broker)
    for name, decl in declarations().items():
        partitions, configs = described[name]
        assert partitions == decl["partitions"], f"{name}: {partitions} partitions, {decl['partitions']} declared"
        for key, value in decl.get("config", {}).items():
            assert configs.get(key) == str(value), f"{name}: {key}={configs.get(key)!r}, {value!r} declared"


def test_broker_applies_the_catalog(broker):
    _assert_matches_catalog(broker)
    log = broker.log_text()
    for name in declarations():
        assert f"created topic {name} from" in log, log
    assert f"applied {len(declarations())} topic declarations from" in log, log


def test_kaffee_topics_apply_finds_no_drift(broker):
    kaffee = Path(os.environ.get("KAFFEE", ".build/debug/kaffee"))
    if not kaffee.is_absolute():
        kaffee = kaffee.resolve() if kaffee.exists() else REPO / kaffee
    assert kaffee.exists(), f"kaffee binary not found at {kaffee} (set KAFFEE or run swift build --product kaffee)"
    res = subprocess.run([str(kaffee), "topics", "apply", str(TOPICS_DIR)], capture_output=True, timeout=60,
                         env={**os.environ, "KAFFEE_BROKERS": broker.bootstrap})
    out = res.stdout.decode()
    assert res.returncode == 0, f"kaffee topics apply exited {res.returncode}\n{out}\n{res.stderr.decode()}"
    assert sorted(out.splitlines()) == sorted(f"{name} is up to date" for name in declarations()), out


def test_restart_applies_the_catalog_idempotently(broker):
    broker.restart()
    log = broker.log_text()
    assert "created topic" not in log and "updated topic" not in log, log
    assert f"applied {len(declarations())} topic declarations from" in log, log
    _assert_matches_catalog(broker)
