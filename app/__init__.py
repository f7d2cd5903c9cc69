"""ZeroMQ Pattern Playground: the Flask application factory."""

from __future__ import annotations

from flask import Flask

from .config import Config


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config from the environment (or ``test_config``), pages, API, websocket."""
    app = Flask(__name__, static_folder="../static", template_folder="../templates")
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    from .web import api, headers, limits, pages, ws

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
    framing.init_app(app)  # only embed pages may be framed
    headers.init_app(app)  # CSP and the other security headers on every response
    return app
