"""Settings and limits, read from the environment (each has a safe default)."""
from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _float(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class Config:
    """Defaults for a single machine; override with environment variables of the same name."""

    MAX_RUN_SECONDS = _float("MAX_RUN_SECONDS", 900.0)      # a run stops itself after this
    TRACE_RATE = _float("TRACE_RATE", 400.0)                # messages/s animated per run
    EVENT_BUFFER = _int("EVENT_BUFFER", 20000)              # events waiting per run
    BATCH_MAX = _int("BATCH_MAX", 500)                      # events per websocket frame
    MAX_RUNS = _int("MAX_RUNS", 200)                        # concurrent runs per process
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1_000_000)  # HTTP bodies (413 above)
    WS_MAX_MESSAGE = _int("WS_MAX_MESSAGE", 1_000_000)      # inbound websocket message (1009)
    SOCK_SERVER_OPTIONS = {"ping_interval": 25, "max_message_size": WS_MAX_MESSAGE}
    JSON_SORT_KEYS = False
