"""What a page is told about its run while it runs (``notice``): one English text per kind, with
holes the page fills in its own language (``notice.<key>`` in static/i18n/<lang>.json). The
message carries ``code`` (the kind: docs/protocol.md), ``key`` (the text), ``vars`` and the
English ``message``; a page that does not know the key shows the English."""

from __future__ import annotations

TEXTS = {
    "slow-client": "your connection reads too slowly: some message events were left out "
    "(counters stay exact); close other tabs or slow the run down",
    "rate-limit": "this run sends more than {rate} messages per second (MAX_RUN_RATE); it is "
    "slowed down to that rate",
    "busy": "the server is busy: this run is slowed to {rate} messages per second, its fair "
    "share of the worker (CPU_TARGET, BUSY_LAG_MS)",
    "busy.process": "this run uses more than its share of the server: its process now gets only "
    "the CPU other runs leave, and its page is shown fewer of its messages (RUN_HEAVY_CPU, "
    "RUN_HEAVY_RATE, RUN_HEAVY_TRACE_RATE)",
    "starting": "this run started beside others on a shared server: it may send {rate} messages "
    "per second for now, twice that every quarter second while the server has room "
    "(RUN_START_RATE)",
}


def code_of(key: str) -> str:
    """The kind of notice a text is (``busy.process`` is a ``busy``)."""
    return key.split(".", 1)[0]


def notice(key: str, **vars) -> dict:
    """The ``notice`` message of ``key`` (a key of TEXTS) with ``vars`` in its holes."""
    return {
        "type": "notice",
        "code": code_of(key),
        "key": key,
        "message": TEXTS[key].format(**vars),
        "vars": vars,
    }
