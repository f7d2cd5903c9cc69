"""Limits of a public server: who may connect, how much each client may use, and the messages
that say which limit was reached (docs/performance.md, "Limits").

Everything here is configured in app/config.py; each refusal names its setting.
"""

from __future__ import annotations

import resource
import time
from urllib.parse import urlsplit

import gevent
from flask import current_app, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

# Config name -> app.topology limit name (validate(doc, limits=...)).
TOPOLOGY_LIMITS = {
    "MAX_NODES": "max_nodes",
    "MAX_LINKS": "max_links",
    "MAX_SOCKETS_PER_NODE": "max_sockets",
    "MAX_SOCKETS_PER_TOPOLOGY": "max_total_sockets",
    "MAX_MESSAGE_BYTES": "max_message_bytes",
    "MAX_HWM": "max_hwm",
    "MAX_QUEUE_BYTES": "max_queue_bytes",
}


def topology_limits(config) -> dict:
    """The validation limits this server enforces (for prepare() and /api/meta)."""
    limits = {
        name: int(config[key])
        for key, name in TOPOLOGY_LIMITS.items()
        if config.get(key) is not None
    }
    if config.get("MAX_CONTENT_LENGTH") is not None:
        limits["max_json_bytes"] = int(config["MAX_CONTENT_LENGTH"])
    limits["allow_expose"] = 1 if config.get("ALLOW_EXPOSE") else 0
    return limits


def client_address(environ, config=None) -> str:
    """Who is asking: the peer address. Behind TRUSTED_PROXIES proxies, werkzeug's ProxyFix
    (installed by init_app) has already put the address the nearest trusted proxy saw there;
    a header a client wrote itself is never believed."""
    return (environ.get("REMOTE_ADDR") or "?")[:64]


def origin_problem(environ, config) -> str | None:
    """Why a websocket upgrade from this Origin is refused, or None when it is allowed.

    Allowed: the page's own host (Origin host:port equals the Host header; an embed's socket is
    opened by our own page inside the frame, so it qualifies), any origin listed in
    ALLOWED_ORIGINS, or anything when ALLOWED_ORIGINS is "*". A missing or "null" Origin
    (sandboxed frames, file://, non-browser clients) and foreign origins are refused.
    """
    allowed = {
        o.strip().rstrip("/").lower()
        for o in config.get("ALLOWED_ORIGINS", "").split(",")
        if o.strip()
    }
    if "*" in allowed:
        return None
    origin = environ.get("HTTP_ORIGIN", "").strip()
    if not origin or origin.lower() == "null":
        return (
            "websocket refused: the request has no usable Origin header (only pages of this "
            "site may open /ws; see ALLOWED_ORIGINS)"
        )
    if origin.rstrip("/").lower() in allowed:
        return None
    host = environ.get("HTTP_HOST", "").strip().lower()
    if host and _netloc(origin) == host:
        return None
    return (
        f"websocket refused: Origin {origin[:100]!r} is not this site (only pages of this site "
        "may open /ws; see ALLOWED_ORIGINS)"
    )


def _netloc(origin: str) -> str | None:
    """host[:port] of an http(s) Origin, lower case; None when it is not one."""
    try:
        p = urlsplit(origin)
    except ValueError:
        return None
    if p.scheme not in ("http", "https") or not p.netloc or p.path.strip("/"):
        return None
    return p.netloc.lower()


class TokenBucket:
    """``rate`` per second on average, bursts up to ``burst``."""

    __slots__ = ("rate", "burst", "tokens", "at")

    def __init__(self, rate: float, burst: float | None = None):
        self.rate = float(rate)
        self.burst = float(burst if burst is not None else max(5.0, 2.0 * rate))
        self.tokens = self.burst
        self.at = time.monotonic()

    def take(self) -> bool:
        """Spend one token; False when there is none (the caller refuses the action)."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class RateGovernor:
    """Keeps a run at or below its rate: MAX_RUN_RATE messages sent per second (summed over its
    sockets), or less while the worker is busy (its fair share, set by
    :class:`app.web.fairshare.CpuShare`). Also records when the run last did something
    (``session.last_active``: its counters moved), which is what "idle" means.

    It is a token bucket the engine enforces: a few times a second (often while the run is near
    its limit) it reads the exact send counters and grants the run what it may send until the
    next check (``run.credit``, app/engine/credit.py); a node with no credit left waits for the
    next grant without costing the hub anything. On average the run keeps the rate; a burst is at
    most a quarter second's worth.
    """

    FAST, SLOW = 0.005, 0.25  # check interval when near the limit / far below it
    GRANT = 64  # messages per check a limited run is given at least (fewer checks when slow)

    def __init__(self, session, run, rate: float, share=None, start_rate: float = 0.0):
        """``start_rate``: RUN_START_RATE, where a run that joins others on this worker starts
        (app/web/fairshare.py). Made before the run's nodes first run: a limited run has its
        first credit before its first message."""
        self.session = session
        self.run = run
        self.static_rate = float(rate or 0)  # 0: no fixed limit
        self.cpu_cap: float | None = None  # messages/s while the worker is busy
        self.ramping = False  # a slow start: the cap doubles while the worker has room
        self.throttled = False
        self.share = share
        self.ops = 0  # messages sent, as last read (CpuShare reads it)
        if share is not None:
            self.cpu_cap = share.entry_cap(start_rate)
            self.ramping = self.cpu_cap is not None
            share.register(self)
        rate = self.rate()
        if rate:
            run.credit.grant(self._burst(rate))
        self.greenlet = gevent.spawn(self._loop)

    @staticmethod
    def _burst(rate: float) -> float:
        """The most a limited run may send at once: a quarter second of its rate."""
        return max(rate * 0.25, 100.0)

    def rate(self) -> float:
        """The rate in force (0 = none)."""
        caps = [r for r in (self.static_rate, self.cpu_cap) if r]
        return min(caps) if caps else 0.0

    def _notify(self, rate: float) -> None:
        if self.ramping and rate == self.cpu_cap:
            self.session.notice("starting", once=True, rate=round(rate))
        elif self.cpu_cap and rate == self.cpu_cap:
            self.session.notice("busy", rate=round(rate))
        else:
            self.session.notice("rate-limit", once=True, rate=round(rate))

    def _heavy(self) -> None:
        """A run in a process of its own was found heavy (app/engine/oslimits.py): say so."""
        self.session.notice("busy.process", once=True)

    def _loop(self) -> None:
        run, session, credit = self.run, self.session, self.run.credit
        last = self.ops = run.sent_total()
        at = time.monotonic()
        interval = self.FAST  # a flat-out start is caught within 5 ms
        while True:
            gevent.sleep(interval)
            now = time.monotonic()
            sent = self.ops = run.sent_total()
            used, last = sent - last, sent
            elapsed, at = now - at, now
            if used:
                session.last_active = now
            if run.heavy:
                self._heavy()
            rate = self.rate()
            if not rate:
                if credit.left is not None:
                    credit.grant(None)
                self.throttled = False
                interval = self.SLOW
                continue
            burst = self._burst(rate)
            left = credit.left
            if left is None:  # newly limited: what it sent beyond the rate is paid back
                left = burst - max(0.0, used - rate * elapsed)
            self.throttled = left < 1 and used > 0  # it ran out before this check
            if self.throttled:
                self._notify(rate)
            credit.grant(min(burst, left + elapsed * rate))
            # look often only while the run is near its limit (a quiet run costs 4 checks/s)
            near = self.throttled or used > 0.5 * rate * elapsed
            interval = min(self.SLOW, max(self.FAST, self.GRANT / rate)) if near else self.SLOW

    def stop(self) -> None:
        """End the governor (the run is stopping)."""
        if self.share is not None:
            self.share.unregister(self)
        self.greenlet.kill(block=False)


def raise_nofile_limit() -> tuple[int, int]:
    """Raise this process's soft RLIMIT_NOFILE to its hard limit (libzmq and websockets use fds)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        target = max(soft, 65536)
    else:
        target = hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            return soft, hard
        return target, hard
    return soft, hard


# Routes whose bodies have their own limit (a saved topology may carry a recorded run).
BODY_LIMITS = {"share.save": "SHARE_MAX_BYTES"}


def body_limit() -> tuple[int | None, str]:
    """(bytes, setting name) of the body limit of this request's route."""
    name = BODY_LIMITS.get(request.endpoint or "", "MAX_CONTENT_LENGTH")
    if name == "MAX_CONTENT_LENGTH":
        return request.max_content_length, name
    limit = int(current_app.config[name])
    request.max_content_length = limit
    return limit, name


def _body_too_large():
    """413 as JSON naming the route's limit, before anything reads the body."""
    limit, name = body_limit()
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(
            description=f"the request body is {request.content_length} bytes, more than the "
            f"{limit} allowed ({name})"
        )
    return None


def read_body() -> bytes:
    """The whole request body, never silently cut: a chunked body (no Content-Length) longer
    than the route's limit is a 413 naming it, not its first ``limit`` bytes (werkzeug's
    stream stops at the limit without saying there was more)."""
    data = request.get_data(cache=False)
    limit, name = body_limit()
    if request.content_length is None and limit is not None and len(data) >= limit:
        raw = request.environ.get("wsgi.input")
        extra = raw.read(1) if raw is not None else b""
        if extra:
            raise RequestEntityTooLarge(
                description=f"the request body is larger than the {limit} bytes allowed ({name})"
            )
    return data


DRAIN_MAX_BYTES = 16 * 1024 * 1024  # read and discard up to this much of a refused body
DRAIN_SECONDS = 5.0


def _drain_refused_body() -> None:
    """Read what is left of a refused body (bounded in bytes and time) before answering, so the
    client can finish sending and read the 413: closing on unread data makes the kernel reset the
    connection, and the client sees a broken pipe instead of the reason (nginx's lingering
    close)."""
    import gevent

    stream = request.environ.get("wsgi.input")
    declared = request.content_length
    if stream is None or (declared is not None and declared > DRAIN_MAX_BYTES):
        return
    left = declared if declared is not None else DRAIN_MAX_BYTES
    try:
        with gevent.Timeout(DRAIN_SECONDS, False):
            while left > 0:
                chunk = stream.read(min(65536, left))
                if not chunk:
                    break
                left -= len(chunk)
    except (OSError, ValueError):
        pass


def _too_large(err):
    """Any 413 (including a chunked body that runs over) is JSON naming the limit."""
    limit = request.max_content_length
    _, name = body_limit()
    desc = (
        err.description
        if name in (err.description or "")
        else (f"the request body is larger than the {limit} bytes allowed ({name})")
    )
    _drain_refused_body()
    resp = jsonify(error=desc)
    resp.headers["Connection"] = "close"
    return resp, 413


def init_app(app) -> None:
    """Install the request-body limit and raise RLIMIT_NOFILE."""
    app.before_request(_body_too_large)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.extensions["zpg_nofile"] = raise_nofile_limit()
    from . import proxy

    proxy.init_app(app)  # TRUSTED_PROXIES: client address and scheme from the proxy only
    from ..engine.tmpdirs import clean_stale

    clean_stale()  # run dirs and ledgers of workers that died without cleaning up (kill -9)
