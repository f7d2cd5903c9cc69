"""ZeroMQ Pattern Playground: the Flask application factory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Config

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config from the environment (or ``test_config``), pages, API, websocket."""
    # imported here: a run's own process (python -m app.engine.child) imports this package and
    # has no use for flask (~115 ms of its start, RUN_ISOLATION=process)
    from flask import Flask

    app = Flask(__name__, static_folder=None, template_folder="../templates")
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    from .web import api, assets, compress, headers, limits, pages, ws

    compress.init_app(app)  # dynamic JSON/HTML: ETag, 304, gzip (registered first: runs last)
    assets.init_app(app)  # /static/<hash>/...: compressed, cached for a year; static_url()
    limits.init_app(app)  # body size (413), RLIMIT_NOFILE
    if app.config.get("DEBUG_RESOURCES"):
        from .web import debug

        app.register_blueprint(debug.bp)  # /api/debug/resources (leak tests, benchmarks)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    ws.init_app(app)  # /ws: Origin check, per-client limits, bounded queues, SIGTERM → 1001
    from .web import export, framing, share

    share.init_app(app)  # /t/, /embed/, /oembed, /badge/, /api/topologies (+ storage)
    app.register_blueprint(export.bp)
    from .web import lessons

    app.register_blueprint(lessons.bp)  # /learn (the course), /api/lessons
    framing.init_app(app)  # only embed pages may be framed
    headers.init_app(app)  # CSP and the other security headers on every response
    from .web import health, logs, metrics

    logs.init_app(app)  # JSON log lines, X-Request-ID
    health.init_app(app)  # /healthz, /readyz
    metrics.init_app(app)  # /metrics (Prometheus, several workers)
    return app
