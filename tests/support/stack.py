"""docs/deploying.md, run on this machine: Debian's nginx (TLS, a self-signed certificate) in
front of two app servers (each its own gunicorn, the Procfile's command line) and one private
PostgreSQL, everything on 127.0.0.1 and private ports, nothing needing root.

The nginx config, the app servers' environment and the command line are read from
docs/deploying.md and the Procfile; only their placeholders are replaced, and each placeholder
must be there (:func:`fill`), so the page cannot drift from what is tested. Used by tests/deploy
and ``python -m bench --only deploy``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .postgres import private_postgres
from .server import ROOT, free_port

DOC = ROOT / "docs" / "deploying.md"
PROCFILE = ROOT / "Procfile"


def doc_blocks(lang: str, text: str | None = None) -> list[str]:
    """The fenced ```lang blocks of docs/deploying.md, verbatim."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.S | re.M)


def fill(text: str, replacements: dict) -> str:
    """``text`` with every placeholder replaced; a placeholder missing from it is an error."""
    for old, new in replacements.items():
        if old not in text:
            raise AssertionError(f"docs/deploying.md no longer has the placeholder {old!r}")
        text = text.replace(old, new)
    return text


def _settings(sh: str) -> dict:
    """The NAME=value lines of the page's environment block."""
    return dict(line.split("=", 1) for line in sh.splitlines() if "=" in line)


def procfile_command() -> str:
    """The ``web:`` command line of the Procfile."""
    for line in PROCFILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("web: "):
            return line[len("web: ") :]
    raise AssertionError("the Procfile has no web: line")


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up:\n" + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.1)


class AppServer:
    """One app server: the Procfile's gunicorn with the documented environment."""

    def __init__(self, name: str, root: Path, sh: str, extra_env: dict | None = None):
        """``sh``: the page's environment block, the database placeholder already filled."""
        self.name = name
        self.port = free_port()
        self.root = root / name
        self.root.mkdir()
        self.metrics_dir = self.root / "metrics"
        self.access_log = self.root / "access.log"
        self.error_log = self.root / "error.log"
        self.sh = sh
        self.extra_env = dict(extra_env or {})
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, extra_env: dict | None = None) -> None:
        """Wipe the metrics directory (as the page says), start, wait until /readyz is 200."""
        shutil.rmtree(self.metrics_dir, ignore_errors=True)
        self.metrics_dir.mkdir()
        sh = fill(
            self.sh,
            {"/run/playground/metrics": str(self.metrics_dir), "PORT=8000": f"PORT={self.port}"},
        )
        settings = _settings(sh)
        command = fill(procfile_command(), {"-b 0.0.0.0:$PORT": "-b 127.0.0.1:$PORT"})
        full_env = {**os.environ, **settings, **self.extra_env, **(extra_env or {})}
        # the Procfile says `gunicorn`: the one of this virtualenv
        full_env["PATH"] = f"{os.path.dirname(sys.executable)}:{full_env['PATH']}"
        with open(self.access_log, "a") as out, open(self.error_log, "a") as err:
            self.proc = subprocess.Popen(
                ["bash", "-c", "exec " + command], cwd=ROOT, env=full_env, stdout=out, stderr=err
            )
        _wait_http(self.url + "/readyz", self.proc, self.error_log)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int:
        """Signal the gunicorn master (by PID) and wait for it; returns its exit code."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return proc.returncode if proc else 0
        proc.send_signal(sig)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()

    def log_lines(self, which: str = "both") -> list[str]:
        """Lines of its access log, error log, or both."""
        files = {"access": [self.access_log], "error": [self.error_log]}.get(
            which, [self.access_log, self.error_log]
        )
        return [line for f in files for line in f.read_text().splitlines()]


class Nginx:
    """Debian's nginx in the foreground on a private prefix, with the page's config included."""

    def __init__(self, root: Path, site: str):
        self.prefix = root / "nginx"
        self.prefix.mkdir()
        os.chmod(root, 0o755)  # workers run as nobody when we are root: they must get in
        os.chmod(self.prefix, 0o755)
        for d in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.prefix / "tmp" / d).mkdir(parents=True)
            os.chmod(self.prefix / "tmp" / d, 0o777)
        os.chmod(self.prefix / "tmp", 0o755)
        (self.prefix / "playground.conf").write_text(site)
        temp = "\n".join(
            f"    {d}_temp_path {self.prefix}/tmp/{d.split('_')[0]};"
            for d in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ).replace("/tmp/client;", "/tmp/body;")
        self.error_log = self.prefix / "error.log"
        self.access_log = self.prefix / "access.log"
        (self.prefix / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {self.prefix}/nginx.pid;
error_log {self.error_log} info;
events {{ worker_connections 1024; }}
http {{
    access_log {self.access_log};
{temp}
    include {self.prefix}/playground.conf;
}}
"""
        )
        self.proc: subprocess.Popen | None = None

    def start(self, port: int) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(nginx):
            raise RuntimeError("nginx is missing: run scripts/test.sh (it installs Debian's nginx)")
        self.proc = subprocess.Popen(
            [nginx, "-p", str(self.prefix), "-c", str(self.prefix / "nginx.conf"), "-e", "stderr"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.prefix / "stderr.log", "w"),
        )
        deadline = time.monotonic() + 15
        import socket

        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    "nginx did not start:\n" + (self.prefix / "stderr.log").read_text()[-3000:]
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: finish what is under way
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def self_signed(root: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made by Debian's openssl (valid one day)."""
    cert, key = root / "fullchain.pem", root / "privkey.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    os.chmod(key, 0o644)
    return cert, key


def _create_database(admin_url: str) -> None:
    """The role and database of the page's DATABASE_URL (playground/secret/playground)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as db:
        db.execute("CREATE ROLE playground LOGIN PASSWORD 'secret'")
        db.execute("CREATE DATABASE playground OWNER playground")


class Stack:
    """The running deployment: ``url`` (https through nginx), ``servers`` (A, B), ``ssl``,
    ``database_url``."""

    def __init__(self, root: Path, port: int, servers: list, nginx: Nginx, cafile: Path, db: str):
        self.root = root
        self.database_url = db  # the page's DATABASE_URL, filled
        self.port = port
        self.url = f"https://127.0.0.1:{port}"
        self.servers = servers
        self.nginx = nginx
        self.ssl = ssl.create_default_context(cafile=str(cafile))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        """(status, headers, body) of one request through nginx (redirects not followed)."""
        req = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30, context=self.ssl) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read()


@contextmanager
def deployment(extra_env: dict | None = None):
    """Start PostgreSQL, two app servers and nginx as docs/deploying.md says; yield a Stack."""
    root = Path(tempfile.mkdtemp(prefix="zpg-deploy-"))
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, root, True)
        admin_url = stack.enter_context(private_postgres())
        _create_database(admin_url)
        pg_hostport = admin_url.split("@", 1)[1].split("/", 1)[0]
        (sh,) = doc_blocks("sh")
        sh = fill(sh, {"10.0.0.10:5432": pg_hostport})
        (database_url,) = [v for k, v in _settings(sh).items() if k == "DATABASE_URL"]
        servers = [AppServer(name, root, sh, extra_env) for name in ("a", "b")]
        for server in servers:
            stack.callback(server.stop)
            server.start()
        cert, key = self_signed(root)
        port = free_port()
        (site,) = doc_blocks("nginx")
        site = fill(
            site,
            {
                "listen 443 ssl": f"listen 127.0.0.1:{port} ssl",
                "10.0.0.11:8000": f"127.0.0.1:{servers[0].port}",
                "10.0.0.12:8000": f"127.0.0.1:{servers[1].port}",
                "/etc/ssl/playground/": f"{root}/",
            },
        )
        nginx = Nginx(root, site)
        stack.callback(nginx.stop)
        nginx.start(port)
        yield Stack(root, port, servers, nginx, cert, database_url)
