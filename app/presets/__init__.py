"""Ready-made topologies, one per ZeroMQ pattern, each with an explanation in English and Korean.

Each `<id>.json` beside this module holds {"id", "title": {"en", "ko"}, "explain": {"en", "ko"},
"topology": <version-1 document>}. They double as test fixtures.
"""

import json
from importlib import resources

# Gallery order; any other preset file follows in name order.
ORDER = (
    # the basic patterns
    "reqrep-hello",
    "pubsub-weather",
    "pipeline",
    "fan-in",
    "fan-out-fan-in",
    "pair-signal",
    # what the sockets do under pressure
    "hwm",
    "slow-joiner",
    "kill-signal",
    # intermediaries
    "rrbroker",
    "msgqueue",
    "pubsub-proxy",
    "bridge",
    # reliability
    "lazy-pirate",
    "simple-pirate",
    "paranoid-pirate",
    "binary-star",
    "majordomo",
    # the seed's distributed systems
    "task-distribution",
    "microservices",
)


def _files():
    """{preset id: resource} for every JSON file in this package."""
    found = {}
    for entry in resources.files(__package__).iterdir():
        if entry.name.endswith(".json"):
            found[entry.name[:-5]] = entry
    return found


def _ids(files):
    return [i for i in ORDER if i in files] + sorted(i for i in files if i not in ORDER)


def list_presets():
    """[{"id", "title": {"en", "ko"}}] for every preset, in gallery order."""
    files = _files()
    result = []
    for preset_id in _ids(files):
        preset = json.loads(files[preset_id].read_text(encoding="utf-8"))
        result.append({"id": preset["id"], "title": preset["title"]})
    return result


def get_preset(preset_id):
    """The full preset dict (a fresh copy) for `preset_id`, or None if there is none."""
    entry = _files().get(preset_id) if isinstance(preset_id, str) else None
    if entry is None:
        return None
    return json.loads(entry.read_text(encoding="utf-8"))
