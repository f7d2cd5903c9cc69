"""Structured logs: one JSON object per line for every access and error event (docs/deploying.md).

- gunicorn's access and error logs: ``--logger-class app.web.logs.JsonLogger`` (the Procfile
  sets it) writes each request as ``{"ts", "level": "info", "logger": "access", "method", "path",
  "status", "bytes", "ms", "remote", "rid", ...}`` and each of gunicorn's own messages as
  ``{"ts", "level", "logger": "gunicorn.error", "msg"}``.
- the app's own logging (``app`` logger: storage errors, failed commands, runs started and
  stopped) goes to stderr in the same shape, with the request id of the request it happened in.

Request id: the value of the ``REQUEST_ID_HEADER`` header (the documented nginx sets
``X-Request-ID $request_id``) when that setting names one and the value is a plain token, else
a fresh random one. It is answered in ``X-Request-ID``, written in the access line, and a
websocket session keeps the id of its upgrade request: its ``hello`` carries it and every line
the session logs (run started, run stopped, failed command) has it as ``rid``.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

RID_KEY = "zpg.request_id"  # where the id of a request is kept in its WSGI environ
T0_KEY = "zpg.t0"  # when the app first saw it (time.monotonic())
_TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# attributes every LogRecord has: anything else passed in ``extra=`` becomes a JSON field
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "rid"}


def new_request_id() -> str:
    """A fresh random id (16 hex digits)."""
    return uuid.uuid4().hex[:16]


def request_id(environ=None) -> str:
    """The id of the current request (of ``environ`` if given), chosen once per request."""
    if environ is None:
        from flask import current_app, request

        environ = request.environ
        header = current_app.config.get("REQUEST_ID_HEADER") or ""
    else:
        header = ""
    rid = environ.get(RID_KEY)
    if rid is None:
        given = environ.get("HTTP_" + header.upper().replace("-", "_"), "") if header else ""
        rid = given if _TOKEN.fullmatch(given) else new_request_id()
        environ[RID_KEY] = rid
    return rid


def _timestamp(created: float) -> str:
    ms = int((created % 1) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created)) + f".{ms:03d}Z"


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON (the request id added when there is a request)."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": _timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = getattr(record, "rid", None) or _current_rid()
        if rid:
            out["rid"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def _current_rid() -> str | None:
    """The request id of the current Flask request, if there is one."""
    try:
        from flask import has_request_context
    except ImportError:  # pragma: no cover - flask is a dependency
        return None
    if not has_request_context():
        return None
    try:
        return request_id()
    except RuntimeError:
        return None


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is in requirements.txt
    _GunicornLogger = object


class JsonLogger(_GunicornLogger):
    """gunicorn's logger with JSON lines: one per request (access) and per message (error)."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def access(self, resp, req, environ, request_time) -> None:
        """One JSON line per request (an accepted websocket's is written by the app)."""
        if not self.access_log_enabled:
            return
        status = str(getattr(resp, "status", "") or "").split(" ", 1)[0]
        line = access_line(
            environ, status, getattr(resp, "sent", None), request_time.total_seconds()
        )
        try:
            self.access_log.info(line)
        except Exception:  # a log line must never break a request
            self.error("could not write an access line")


def access_line(environ, status, sent, seconds: float) -> str:
    """The JSON access line of one request."""
    status = str(status)
    line = {
        "ts": _timestamp(time.time()),
        "level": "info",
        "logger": "access",
        "method": environ.get("REQUEST_METHOD"),
        "path": environ.get("PATH_INFO"),
        "query": environ.get("QUERY_STRING") or None,
        "status": int(status) if status.isdigit() else status,
        "bytes": sent,
        "ms": round(seconds * 1000.0, 3),
        "remote": environ.get("REMOTE_ADDR"),
        "scheme": environ.get("wsgi.url_scheme"),
        "host": environ.get("HTTP_HOST"),
        "ua": environ.get("HTTP_USER_AGENT"),
        "rid": environ.get(RID_KEY),
    }
    return json.dumps(line, ensure_ascii=False)


def _websocket_access(response):
    """gunicorn writes no access line for a websocket it handed over (the view ends with
    StopIteration): write it here, in the same shape, when the session is over."""
    from flask import request

    environ = request.environ
    if environ.get("HTTP_UPGRADE", "").lower() == "websocket" and response.status_code == 200:
        started = environ.get(T0_KEY, time.monotonic())
        logging.getLogger("gunicorn.access").info(
            access_line(environ, 101, None, time.monotonic() - started)
        )
    return response


def _start_clock():
    from flask import request

    request.environ.setdefault(T0_KEY, time.monotonic())
    request_id()


def init_app(app) -> None:
    """The ``app`` logger writes JSON lines to stderr; every response says its request id."""
    logger = logging.getLogger(app.import_name)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False

    app.before_request(_start_clock)
    app.after_request(_websocket_access)

    @app.after_request
    def _say_request_id(response):
        response.headers.setdefault("X-Request-ID", request_id())
        return response
