"""``python -m bench.transcript FILE``: curl through the tested deployment (tests/support/stack.py:
nginx with TLS in front of two app servers and PostgreSQL), every command and its answer written
to FILE: health, readiness, a metrics excerpt, a link saved on server A and opened on server B
and through nginx, and a forged X-Forwarded-Host that changes nothing."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time

from .common import ROOT, WsClient, pipeline

sys.path.insert(0, str(ROOT / "tests"))

from support.stack import deployment  # noqa: E402


def main(path: str) -> None:
    out: list[str] = []

    def curl(*args: str, keep=None) -> str:
        cmd = ["curl", "-sS", *args]
        text = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
        shown = text if keep is None else "\n".join(keep(text.splitlines()))
        out.append("$ " + " ".join(shlex.quote(a) for a in cmd) + "\n" + shown.rstrip() + "\n")
        return text

    with deployment() as st:
        a, b = st.servers
        ca = ["--cacert", str(st.root / "fullchain.pem")]
        out.append(
            f"# nginx (TLS) {st.url} -> server A {a.url}, server B {b.url}; PostgreSQL\n"
            "# config: docs/deploying.md (placeholders filled by tests/support/stack.py)\n"
        )
        curl(*ca, "-i", st.url + "/healthz", keep=lambda ls: [x for x in ls if "Policy" not in x])
        curl(*ca, st.url + "/readyz")
        doc = pipeline()
        doc["title"] = "saved on server A"
        body = st.root / "pipeline.json"
        body.write_text(json.dumps(doc))
        post = ["-X", "POST", "-H", "Content-Type: application/json", "--data", f"@{body}"]
        saved = json.loads(curl(*post, a.url + "/api/topologies"))
        curl(b.url + f"/api/topologies/{saved['id']}", keep=lambda ls: [ls[0][:300] + " ..."])
        curl(*ca, "-H", "X-Forwarded-Host: evil.example", *post, st.url + "/api/topologies")
        curl(
            *ca,
            "-i",
            st.url + f"/t/{saved['id']}",
            keep=lambda ls: [
                x
                for x in ls
                if x.startswith(("HTTP/", "Strict", "X-Request"))
                or "canonical" in x
                or "og:image" in x
            ],
        )
        # a page running the pipeline through nginx, then the figures
        page = WsClient(st.url, ssl_context=st.ssl)
        page.recv()
        page.send({"op": "start", "topology": doc})
        page.recv_until(lambda m: m["type"] == "started")
        page.recv_until(lambda m: m["type"] == "events" and len(m["events"]) > 0)
        time.sleep(1.0)
        out.append("# a page is running the pipeline through nginx (wss://)\n")
        figures = lambda ls: [x for x in ls if x.startswith("zpg_") and "bucket" not in x]  # noqa: E731
        curl(*ca, st.url + "/metrics", keep=figures)
        for server in (a, b):
            curl(server.url + "/metrics", keep=figures)
        page.close()
    with open(path, "w") as fh:
        fh.write("\n".join(out))
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1])
