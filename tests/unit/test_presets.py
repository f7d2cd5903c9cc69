"""The bundled presets: listed, loadable, valid, explained in English and Korean."""

import pytest

from app.presets import get_preset, list_presets
from app.topology import normalize, validate

IDS = [
    "reqrep-hello",
    "pubsub-weather",
    "pipeline",
    "fan-in",
    "fan-out-fan-in",
    "pair-signal",
    "hwm",
    "slow-joiner",
    "kill-signal",
    "rrbroker",
    "msgqueue",
    "pubsub-proxy",
    "bridge",
    "lazy-pirate",
    "simple-pirate",
    "paranoid-pirate",
    "binary-star",
    "majordomo",
    "task-distribution",
    "microservices",
]


def test_list_presets_in_gallery_order():
    listed = list_presets()
    assert [p["id"] for p in listed] == IDS
    assert all(set(p["title"]) == {"en", "ko"} for p in listed)


@pytest.mark.parametrize("preset_id", IDS)
def test_preset_is_valid_and_explained(preset_id):
    preset = get_preset(preset_id)
    assert preset["id"] == preset_id
    assert validate(preset["topology"]) == []
    for text in (preset["title"], preset["explain"]):
        assert set(text) == {"en", "ko"} and all(text.values())
    for n in preset["topology"]["nodes"]:
        assert 0 <= n["x"] <= 1000 and 0 <= n["y"] <= 600
    assert normalize(preset["topology"])["transport"] == ("inproc" if preset_id == "hwm" else "ipc")


def test_get_preset_returns_fresh_copies_and_none_for_unknown():
    a = get_preset("pipeline")
    a["topology"]["nodes"].clear()
    assert get_preset("pipeline")["topology"]["nodes"]
    for bad in ("nope", "../pipeline", "", None, 3):
        assert get_preset(bad) is None


def test_reqrep_hello_content():
    client, server = get_preset("reqrep-hello")["topology"]["nodes"]
    assert client["sockets"][0]["type"] == "REQ" and client["behaviour"]["interval_ms"] == 1000
    assert server["behaviour"] == {
        "socket": "rep",
        "transform": "fixed",
        "text": "World",
        "delay_ms": 200,
    }


def test_pubsub_weather_subscriptions():
    nodes = get_preset("pubsub-weather")["topology"]["nodes"]
    subs = [n["sockets"][0]["options"]["subscribe"] for n in nodes[1:]]
    assert subs == [["weather"], [""], ["zzz"]]
    assert nodes[0]["behaviour"]["topics"] == ["weather.seoul", "weather.busan", "sports.kbo"]


def test_pipeline_shape():
    topo = get_preset("pipeline")["topology"]
    workers = [n for n in topo["nodes"] if n["kind"] == "worker"]
    assert len(workers) == 3 and all(w["behaviour"]["work_ms"] == 400 for w in workers)
    assert len(topo["links"]) == 6
