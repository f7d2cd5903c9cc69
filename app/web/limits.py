"""Limits of a public server: who may connect, how much each client may use, and the messages
that say which limit was reached (docs/performance.md, "Limits").

Everything here is configured in app/config.py; each refusal names its setting.
"""

from __future__ import annotations

import resource
import time
from urllib.parse import urlsplit

import gevent
from flask import jsonify, request
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
    return limits


def client_address(environ, config) -> str:
    """Who is asking: the peer address, or the first hop of CLIENT_ADDRESS_HEADER behind a proxy."""
    header = config.get("CLIENT_ADDRESS_HEADER")
    if header:
        value = environ.get("HTTP_" + header.upper().replace("-", "_"), "")
        first = value.split(",")[0].strip()
        if first:
            return first[:64]
    return environ.get("REMOTE_ADDR") or "?"


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


def sent_total(run) -> int:
    """Messages every socket of ``run`` has sent so far (the engine's exact counters)."""
    return sum(s.sent for s in run.socks.values())


class RateGovernor:
    """Keeps a run at or below MAX_RUN_RATE messages sent per second (summed over its sockets).

    It reads the exact send counters a few times a second; when the run is ahead of its budget it
    pauses it (nodes stop before their next send/recv) until the budget has caught up, then
    resumes it unless the page paused it meanwhile. On average the run keeps the rate; a burst
    can run ahead by one check interval's worth of messages.
    """

    FAST, SLOW = 0.005, 0.25  # check interval when near the limit / far below it

    def __init__(self, session, run, rate: float):
        self.session = session
        self.run = run
        self.rate = rate
        self.throttled = False
        self.greenlet = gevent.spawn(self._loop)

    def _loop(self) -> None:
        run, rate = self.run, self.rate
        burst = max(rate * 0.25, 100.0)
        tokens = burst
        last = sent_total(run)
        at = time.monotonic()
        interval = self.FAST
        while True:
            gevent.sleep(interval)
            now = time.monotonic()
            sent = sent_total(run)
            used, last = sent - last, sent
            elapsed, at = now - at, now
            tokens = min(burst, tokens + elapsed * rate) - used
            # look often only while the run is near its limit (a quiet run costs 4 checks/s)
            interval = self.FAST if used > 0.5 * rate * elapsed else self.SLOW
            if tokens >= 0:
                continue
            self.throttled = True
            self.session.notice(
                "rate-limit",
                f"this run sends more than {rate:g} messages per "
                "second (MAX_RUN_RATE); it is slowed down to that rate",
                once=True,
            )
            while tokens < 0:  # paid back in full: the average stays at the rate
                if not run.paused:
                    run.pause()
                wait = min(1.0, -tokens / rate)
                gevent.sleep(wait)
                sent = sent_total(run)  # a batch under way when the pause came still counts
                tokens += wait * rate - (sent - last)
                last = sent
            at = time.monotonic()
            self.throttled = False
            if not self.session.user_paused and run.paused:
                run.resume()

    def stop(self) -> None:
        """End the governor (the run is stopping)."""
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


def _body_too_large():
    """413 as JSON naming MAX_CONTENT_LENGTH, before anything reads the body."""
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(
            description=f"the request body is {request.content_length} bytes, more than the "
            f"{limit} allowed (MAX_CONTENT_LENGTH)"
        )
    return None


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
    desc = (
        err.description
        if "MAX_CONTENT_LENGTH" in (err.description or "")
        else (f"the request body is larger than the {limit} bytes allowed (MAX_CONTENT_LENGTH)")
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
