"""Behind a reverse proxy: which forwarded headers to believe (docs/deploying.md).

With ``TRUSTED_PROXIES = N`` (N > 0, the number of proxies in front of the workers) werkzeug's
ProxyFix takes the scheme from ``X-Forwarded-Proto`` and the client address from
``X-Forwarded-For``, each N hops from the right: the values the proxies wrote themselves, never
one a client sent. With 0 (the default) no forwarded header is believed.

The host and port come from the ``Host`` header, which the documented nginx config passes on as
the browser sent it (``$http_host``: host *and* port). ``X-Forwarded-Host``/``-Port`` are not
trusted: the documented proxy does not overwrite them, so a client could choose them.

So every link the server builds (``request.host_url``: the API's ``url``, canonical, og:image,
oEmbed's iframe) has the scheme, host and port the browser used, the websocket Origin check
compares with the right host, and ``request.is_secure`` turns HSTS on behind a TLS proxy.
"""

from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app) -> None:
    """Wrap ``app.wsgi_app`` in one ProxyFix when TRUSTED_PROXIES > 0 (an existing one is
    replaced, so the middleware is never applied twice)."""
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    inner = app.wsgi_app
    if isinstance(inner, ProxyFix):
        inner = inner.app
    if hops <= 0:
        app.wsgi_app = inner
        return
    app.wsgi_app = ProxyFix(inner, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
