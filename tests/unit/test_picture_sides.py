"""The SVG export attaches each link on the side of its peer, as the canvas does (geometry.js):
a socket with peers on both sides (the Majordomo broker's ROUTER) gets a port on each side and no
link loops round its node."""

import json
import re
from pathlib import Path

from app.export.picture import NODE_W, topology_svg

PRESETS = Path(__file__).resolve().parents[2] / "app" / "presets"


def test_majordomo_broker_links_start_on_the_side_of_each_peer():
    doc = json.loads((PRESETS / "majordomo.json").read_text())["topology"]
    svg = topology_svg(doc, "Majordomo")
    nodes = {n["id"]: n for n in doc["nodes"]}
    broker = nodes["broker"]
    starts = [tuple(map(float, m)) for m in re.findall(r'<path d="M([\d.-]+),([\d.-]+) C', svg)]
    assert len(starts) == len(doc["links"])
    # links are drawn from their bind end, the broker's ROUTER: clients' on its left edge,
    # workers' on its right edge
    by_x = sorted({round(x) for x, _ in starts})
    assert by_x == [broker["x"], broker["x"] + NODE_W]
    for link, (x, _) in zip(doc["links"], starts, strict=True):
        peer = nodes[link["connect"]["node"]]
        assert (x == broker["x"]) == (peer["x"] < broker["x"]), link["id"]
    # the broker's group has two port circles for its one socket
    group = svg[svg.index(f"translate({broker['x']:.1f},{broker['y']:.1f})") :]
    group = group[: group.index("</g>")]
    assert group.count("<circle") == 2
