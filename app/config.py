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


def _str(name: str, default: str) -> str:
    return os.environ.get(name, default)


class Config:
    """Defaults for a single machine; override with environment variables of the same name.

    Every limit is listed in docs/performance.md ("Limits") with the message a user sees when it
    is reached; each message names the setting.
    """

    # -- runs --------------------------------------------------------------------------------
    MAX_RUN_SECONDS = _float("MAX_RUN_SECONDS", 900.0)  # a run stops itself after this
    TRACE_RATE = _float("TRACE_RATE", 400.0)  # messages/s animated per run
    EVENT_BUFFER = _int("EVENT_BUFFER", 20000)  # events waiting per run (engine)
    EVENT_BUFFER_BYTES = _int("EVENT_BUFFER_BYTES", 10 * 1024 * 1024)  # and their bytes
    BATCH_MAX = _int("BATCH_MAX", 500)  # events per websocket frame
    WS_FLUSH_MS = _float("WS_FLUSH_MS", 1.0)  # events gather this long into a frame
    MAX_RUNS = _int("MAX_RUNS", 200)  # concurrent runs per server (with DATABASE_URL per machine)
    MAX_RUNS_PER_CLIENT = _int("MAX_RUNS_PER_CLIENT", 8)  # runs per client (every server with a DB)
    RUN_IDLE_SECONDS = _float("RUN_IDLE_SECONDS", 120.0)  # no message sent for this long =
    #                                                  idle: reclaimed first when a limit is hit
    MAX_RUN_RATE = _float("MAX_RUN_RATE", 20000.0)  # messages sent/s per run (0 = off)
    # cores one worker may use before its busiest runs are slowed to fair shares (0 = off)
    CPU_TARGET = _float("CPU_TARGET", 0.7)
    # ...or while the hub wakes a 10 ms timer this much late (every page waits that long; 0 = off)
    BUSY_LAG_MS = _float("BUSY_LAG_MS", 10.0)
    # a run that starts while others run on the worker starts at this many messages/s, doubled
    # every quarter second while the worker has room (0 = off: every run starts uncapped)
    RUN_START_RATE = _float("RUN_START_RATE", 500.0)
    ZMQ_MAX_SOCKETS = _int("ZMQ_MAX_SOCKETS", 4096)  # libzmq MAX_SOCKETS of a run's context
    # -- where runs run (app/web/remote.py, app/engine/oslimits.py) ---------------------------
    # "inline": on the worker's own hub; "process": each run in a child process under rlimits
    RUN_ISOLATION = _str("RUN_ISOLATION", "inline")
    RUN_NICE = _int("RUN_NICE", 10)  # a run's process is this much nicer than its worker
    # RLIMIT_DATA of a run's process: its byte budget + this (the interpreter and the engine)
    RUN_MEMORY_MARGIN = _int("RUN_MEMORY_MARGIN", 256 * 1024 * 1024)
    RUN_CPU_SECONDS = _float("RUN_CPU_SECONDS", 0.0)  # RLIMIT_CPU of it; 0 = MAX_RUN_SECONDS
    # a run's process using more than this of a core, or sending more than this many messages
    # a second, goes to SCHED_IDLE (0 = never)
    RUN_HEAVY_CPU = _float("RUN_HEAVY_CPU", 0.2)
    RUN_HEAVY_RATE = _float("RUN_HEAVY_RATE", 1000.0)
    RUN_HEAVY_TRACE_RATE = _float("RUN_HEAVY_TRACE_RATE", 50.0)  # ...and is traced at most this
    # -- what runs cost, summed over every worker of this server (app/web/ledger.py) ----------
    MAX_RUN_FDS = _int("MAX_RUN_FDS", 0)  # fds all runs may hold; 0 = RLIMIT_NOFILE - FD_RESERVE
    FD_RESERVE = _int("FD_RESERVE", 2000)  # fds a worker keeps for websockets, files, storage
    # bytes all runs may hold (queues at their HWMs x largest message, observer, event buffers);
    # 0 = half of the machine's memory (MemTotal)
    MAX_RUNS_BYTES = _int("MAX_RUNS_BYTES", 0)
    OBSERVER_BYTES = _int("OBSERVER_BYTES", 16 * 1024 * 1024)  # observer bookkeeping per run
    LEDGER_PATH = _str("LEDGER_PATH", "")  # "" = /dev/shm/zpg-ledger-<uid>-<server pid>.sqlite3
    # With DATABASE_URL the ledger is in PostgreSQL (app/web/ledger_pg.py), shared by every server:
    # a lease not renewed for this long (its server crashed or is cut off) no longer counts
    LEDGER_TTL = _float("LEDGER_TTL", 15.0)
    # Outside programs (a socket's `expose`): off on a public server. An operator running the
    # playground on their own machine turns it on (scripts/serve.sh --local does).
    ALLOW_EXPOSE = _str("ALLOW_EXPOSE", "") not in ("", "0", "false", "no")
    EXPOSE_MAX_MESSAGE = _int("EXPOSE_MAX_MESSAGE", 65536)  # ZMQ_MAXMSGSIZE of exposed sockets
    # -- topology documents (app/topology limits) ---------------------------------------------
    MAX_NODES = _int("MAX_NODES", 100)
    MAX_LINKS = _int("MAX_LINKS", 400)
    MAX_SOCKETS_PER_NODE = _int("MAX_SOCKETS_PER_NODE", 8)
    MAX_SOCKETS_PER_TOPOLOGY = _int("MAX_SOCKETS_PER_TOPOLOGY", 400)
    MAX_MESSAGE_BYTES = _int("MAX_MESSAGE_BYTES", 65536)  # largest message a topology can make
    MAX_HWM = _int("MAX_HWM", 100000)  # sndhwm/rcvhwm 1..MAX_HWM (0 refused)
    MAX_QUEUE_BYTES = _int("MAX_QUEUE_BYTES", 256 * 1024 * 1024)  # HWM x message size, all links
    # -- HTTP and websocket ------------------------------------------------------------------
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 1_000_000)  # HTTP bodies (413 above)
    WS_MAX_MESSAGE = _int("WS_MAX_MESSAGE", 1_000_000)  # inbound websocket message (1009)
    WS_COMMANDS_PER_SECOND = _float("WS_COMMANDS_PER_SECOND", 20.0)  # inbound, per socket
    WS_MAX_PER_CLIENT = _int("WS_MAX_PER_CLIENT", 32)  # open websockets per client address
    WS_QUEUE_EVENTS = _int("WS_QUEUE_EVENTS", 10000)  # events waiting per socket; beyond:
    #                                                         message events sampled, client told
    WS_QUEUE_BYTES = _int("WS_QUEUE_BYTES", 5 * 1024 * 1024)  # and their bytes (the same)
    WS_SEND_TIMEOUT = _float("WS_SEND_TIMEOUT", 30.0)  # a frame unread this long: disconnect
    WS_PING_INTERVAL = _float("WS_PING_INTERVAL", 25.0)
    # permessage-deflate: off by default (CPU is the scarce resource of one gevent worker; it
    # halves the event rate a browser can take, STACK_NOTES); worth it over slow links only.
    WS_DEFLATE = _str("WS_DEFLATE", "") not in ("", "0", "false", "no")
    SOCK_SERVER_OPTIONS = {"ping_interval": 25, "max_message_size": WS_MAX_MESSAGE}
    # Origins allowed to open /ws besides the page's own host: comma-separated
    # ("https://a.example,https://b.example"); "*" allows any origin, even none.
    ALLOWED_ORIGINS = _str("ALLOWED_ORIGINS", "")
    # Behind reverse proxies: how many there are in front of the workers. The client address
    # (X-Forwarded-For) and the scheme (X-Forwarded-Proto) are then taken that many hops from the
    # right (werkzeug's ProxyFix, app/web/proxy.py); with 0 (the default) both headers are ignored,
    # so no request can choose its own address or scheme.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # -- running as a service (docs/deploying.md) ---------------------------------------------
    # The header a trusted proxy puts its request id in (nginx: X-Request-ID $request_id);
    # "" = every request gets a fresh id (app/web/logs.py).
    REQUEST_ID_HEADER = _str("REQUEST_ID_HEADER", "")
    READY_MAX_LAG_MS = _float("READY_MAX_LAG_MS", 500.0)  # /readyz: hub later than this = busy
    # /api/debug/resources (fds, greenlets, zmq sockets, runs): tests and benchmarks only.
    DEBUG_RESOURCES = _str("DEBUG_RESOURCES", "") not in ("", "0", "false", "no")
    JSON_SORT_KEYS = False
    # Shared topologies (app/storage): PostgreSQL when DATABASE_URL is set, else this SQLite file
    # (relative paths are under the project root).
    STORAGE_PATH = os.environ.get("STORAGE_PATH", "instance/playground.sqlite3")
    DATABASE_URL = os.environ.get("DATABASE_URL") or None
    # Where the compressed copy of static/ is kept, one directory per content hash
    # (app/web/assets.py); empty: the system's temp dir.
    STATIC_CACHE_DIR = _str("STATIC_CACHE_DIR", "")
    PG_POOL_MAX = _int("PG_POOL_MAX", 10)  # PostgreSQL connections per worker (psycopg_pool)
    SAVES_PER_MINUTE = _int("SAVES_PER_MINUTE", 30)  # saves per client address (0 = no limit)
    SAVE_BYTES_PER_HOUR = _int("SAVE_BYTES_PER_HOUR", 50_000_000)  # bytes saved per client
    SHARE_MAX_BYTES = _int("SHARE_MAX_BYTES", 8_000_000)  # a saved topology + its recording
