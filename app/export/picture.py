"""An SVG picture of a topology drawn on the server (badges, oEmbed thumbnails).

The geometry is the canvas's (static/js/editor/geometry.js): a node's (x, y) is its top-left
corner, 216 px wide, a 34 px header, one 26 px row per socket; a linked port faces its peers,
an unlinked one sits on the left for receiving types.
"""

from __future__ import annotations

from html import escape

NODE_W, HEADER_H, ROW_H, PAD_B = 216, 34, 26, 14
LEFT = {"REP", "ROUTER", "SUB", "XSUB", "PULL"}
FAMILY = {
    "REQ": "reqrep",
    "REP": "reqrep",
    "DEALER": "reqrep",
    "ROUTER": "reqrep",
    "PUB": "pubsub",
    "SUB": "pubsub",
    "XPUB": "pubsub",
    "XSUB": "pubsub",
    "PUSH": "pipeline",
    "PULL": "pipeline",
    "PAIR": "pair",
}
COLORS = {
    "reqrep": ("#2563eb", "#e0ecff", "#1e40af", "#93b4f5"),
    "pubsub": ("#d97706", "#fdf1dc", "#92400e", "#f0c27b"),
    "pipeline": ("#059669", "#daf5ea", "#065f46", "#7fd3b4"),
    "pair": ("#9333ea", "#f1e6fe", "#6b21a8", "#c9a3f3"),
}
# The canvas's 16×16 kind icons (static/js/editor/icons.js).
ICONS = {
    "source": "M3 8h7M7 4l4 4-4 4M13 3v10",
    "replier": "M12 4H6a3 3 0 0 0 0 6h6M9 7l3 3-3 3",
    "worker": "M8 5.5A2.5 2.5 0 1 0 8 10.5 2.5 2.5 0 1 0 8 5.5M8 1.5v2M8 12.5v2M1.5 8h2M12.5 "
    "8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4",
    "sink": "M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13h10",
}
FONT = "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
MONO = "ui-monospace, Menlo, 'DejaVu Sans Mono', monospace"
BAR_H = 40
MAX_W = 960


def _num(value, default=0.0) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


def _height(node) -> float:
    return HEADER_H + max(1, len(node.get("sockets") or [])) * ROW_H + PAD_B


def _sides(nodes, links) -> dict:
    """{(node id, socket): True if its port sits on the left}: the side its peers are on, as on
    the canvas (geometry.js assignSides); unlinked sockets keep the side of their type."""
    index = {n.get("id"): n for n in nodes}
    lean: dict = {}
    for link in links:
        try:
            c, b = link["connect"], link["bind"]
            nc, nb = index.get(c["node"]), index.get(b["node"])
        except (KeyError, TypeError):
            continue
        if nc is None or nb is None or nc is nb:
            continue
        dx = _num(nb.get("x")) - _num(nc.get("x"))
        lean[(c["node"], c.get("socket"))] = lean.get((c["node"], c.get("socket")), 0.0) + dx
        lean[(b["node"], b.get("socket"))] = lean.get((b["node"], b.get("socket")), 0.0) - dx
    return {key: dx < 0 for key, dx in lean.items() if abs(dx) >= NODE_W / 2}


def _end_left(node, sock_name, peer, sides) -> bool:
    """Whether one link end attaches on the left of its node: the side of ITS peer (per link, as
    geometry.js linkCurve), else the socket's own side."""
    dx = _num(peer.get("x")) - _num(node.get("x"))
    if abs(dx) >= NODE_W / 2:
        return dx < 0
    sock = next((s for s in node.get("sockets") or [] if s.get("name") == sock_name), None)
    return _left(node, sock, sides) if sock else False


def _extra(nodes, links, sides) -> set:
    """{(node id, socket)} of sockets with links on both sides: they get a second port."""
    index = {n.get("id"): n for n in nodes}
    out = set()
    for link in links:
        try:
            ends = ((link["connect"], link["bind"]), (link["bind"], link["connect"]))
            for me, other in ends:
                node, peer = index.get(me["node"]), index.get(other["node"])
                if node is None or peer is None or node is peer:
                    continue
                sock = next(
                    (s for s in node.get("sockets") or [] if s.get("name") == me.get("socket")),
                    None,
                )
                if sock and _end_left(node, me["socket"], peer, sides) != _left(node, sock, sides):
                    out.add((node.get("id"), sock.get("name")))
        except (KeyError, TypeError, AttributeError):
            continue
    return out


def _left(node, sock, sides) -> bool:
    return sides.get((node.get("id"), sock.get("name")), sock.get("type") in LEFT)


def _port(node, name, sides, left=None):
    socks = node.get("sockets") or []
    i = next((k for k, s in enumerate(socks) if s.get("name") == name), 0)
    if left is None:
        left = _left(node, socks[i], sides) if socks else False
    return (
        _num(node.get("x")) + (0 if left else NODE_W),
        _num(node.get("y")) + HEADER_H + i * ROW_H + ROW_H / 2,
        left,
    )


def _curve(a, b) -> str:
    dx = max(50.0, abs(b[0] - a[0]) * 0.5)
    da = -dx if a[2] else dx
    db = -dx if b[2] else dx
    return (
        f"M{a[0]:.1f},{a[1]:.1f} C{a[0] + da:.1f},{a[1]:.1f} {b[0] + db:.1f},{b[1]:.1f} "
        f"{b[0]:.1f},{b[1]:.1f}"
    )


def _node(node, sides, extra=frozenset()) -> str:
    x, y, h = _num(node.get("x")), _num(node.get("y")), _height(node)
    label = str(node.get("label") or node.get("id") or "?")
    if len(label) > 22:
        label = label[:21] + "…"
    out = [
        f'<g transform="translate({x:.1f},{y:.1f})">',
        f'<rect width="{NODE_W}" height="{h}" rx="10" fill="#fff" stroke="#d3d8e0"/>',
        '<rect x="10" y="7" width="20" height="20" rx="6" fill="#eef0ff"/>',
        f'<path transform="translate(12,9)" d="{ICONS.get(node.get("kind"), "M3 3h10v10H3z")}" '
        'fill="none" stroke="#4338ca" stroke-width="1.6" stroke-linecap="round" '
        'stroke-linejoin="round"/>',
        '<text x="38" y="22" font-size="13" font-weight="650" fill="#141a26">'
        f"{escape(label)}</text>",
        f'<text x="{NODE_W - 10}" y="21" text-anchor="end" font-size="9.5" font-weight="700" '
        f'letter-spacing=".08em" fill="#98a2b3">{escape(str(node.get("kind", "")).upper())}</text>',
        f'<line x1="0" x2="{NODE_W}" y1="{HEADER_H}" y2="{HEADER_H}" stroke="#eef0f4"/>',
    ]
    for i, s in enumerate(node.get("sockets") or []):
        kind = str(s.get("type", ""))
        strong, soft, ink, _line = COLORS[FAMILY.get(kind, "pair")]
        left = _left(node, s, sides)
        cy = HEADER_H + i * ROW_H + ROW_H / 2
        chip_w = len(kind) * 7.4 + 12
        chip_x = 14 if left else NODE_W - 14 - chip_w
        name_x = chip_x + chip_w + 8 if left else chip_x - 8
        bind = s.get("mode") == "bind"
        out += [
            f'<rect x="{chip_x:.1f}" y="{cy - 9:.1f}" width="{chip_w:.1f}" height="18" rx="5" '
            f'fill="{soft}"/>',
            f'<text x="{chip_x + chip_w / 2:.1f}" y="{cy + 4:.1f}" text-anchor="middle" '
            f'font-family="{MONO}" font-size="10.5" font-weight="700" fill="{ink}">'
            f"{escape(kind)}</text>",
            f'<text x="{name_x:.1f}" y="{cy + 4:.1f}" text-anchor="{"start" if left else "end"}" '
            f'font-family="{MONO}" font-size="11.5" font-weight="600" fill="#344054">'
            f"{escape(str(s.get('name', '')))}</text>",
            f'<circle cx="{0 if left else NODE_W}" cy="{cy:.1f}" r="6.5" stroke-width="2.2" '
            f'stroke="{strong}" fill="{strong if bind else "#fff"}"/>',
        ]
        if (node.get("id"), s.get("name")) in extra:  # links on its other side attach here
            out.append(
                f'<circle cx="{NODE_W if left else 0}" cy="{cy:.1f}" r="5" stroke-width="2" '
                f'stroke="{strong}" fill="{strong if bind else "#fff"}"/>'
            )
    out.append("</g>")
    return "".join(out)


def topology_svg(doc, title: str) -> str:
    """A standalone SVG of ``doc`` (None draws just the title) with a playground caption."""
    nodes = [n for n in (doc or {}).get("nodes") or [] if isinstance(n, dict)]
    pad = 28
    if nodes:
        x0 = min(_num(n.get("x")) for n in nodes) - pad
        y0 = min(_num(n.get("y")) for n in nodes) - pad
        x1 = max(_num(n.get("x")) + NODE_W for n in nodes) + pad
        y1 = max(_num(n.get("y")) + _height(n) for n in nodes) + pad
    else:
        x0, y0, x1, y1 = 0.0, 0.0, 480.0, 60.0
    w, h = max(480.0, x1 - x0), y1 - y0
    scale = min(1.0, MAX_W / w)
    index = {n.get("id"): n for n in nodes}
    all_links = [ln for ln in (doc or {}).get("links") or [] if isinstance(ln, dict)]
    sides = _sides(nodes, all_links)
    links = []
    for link in all_links:
        try:
            nb, nc = index.get(link["bind"]["node"]), index.get(link["connect"]["node"])
            if nb is None or nc is None:
                continue
            bs, cs = link["bind"]["socket"], link["connect"]["socket"]
            a = _port(nb, bs, sides, _end_left(nb, bs, nc, sides) if nb is not nc else None)
            b = _port(nc, cs, sides, _end_left(nc, cs, nb, sides) if nb is not nc else None)
        except (KeyError, TypeError):
            continue
        kind = next(
            (
                s.get("type")
                for s in nb.get("sockets") or []
                if s.get("name") == link["bind"]["socket"]
            ),
            "PAIR",
        )
        color = COLORS[FAMILY.get(kind, "pair")][3]
        links.append(f'<path d="{_curve(a, b)}" fill="none" stroke="{color}" stroke-width="2.2"/>')
    extra = _extra(nodes, all_links, sides)
    body = "".join(links) + "".join(_node(n, sides, extra) for n in nodes)
    full_h = h + BAR_H
    room = int((w - 340) / 7.6)  # characters that fit left of the caption
    short = title if len(title) <= room else title[: max(1, room - 1)] + "…"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * scale:.0f}" '
        f'height="{full_h * scale:.0f}" viewBox="0 0 {w:.1f} {full_h:.1f}" '
        f'font-family="{FONT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}: open it in the ZeroMQ Pattern Playground</title>"
        f'<clipPath id="card"><rect width="{w:.1f}" height="{full_h:.1f}" rx="12"/></clipPath>'
        f'<g clip-path="url(#card)"><rect width="100%" height="100%" fill="#f7f8fb"/>'
        f'<g transform="translate({-x0:.1f},{-y0:.1f})">{body}</g>'
        f'<g transform="translate(0,{h:.1f})">'
        f'<rect width="{w:.1f}" height="{BAR_H}" fill="#4338ca"/>'
        f'<path d="M18 {BAR_H / 2 - 7}v14l12-7z" fill="#fff"/>'
        f'<text x="40" y="{BAR_H / 2 + 5}" font-size="14" font-weight="650" fill="#fff">'
        f"{escape(short)}</text>"
        f'<text x="{w - 16:.1f}" y="{BAR_H / 2 + 5}" text-anchor="end" font-size="12.5" '
        f'fill="#c7d2fe">Run it in the ZeroMQ Pattern Playground ›</text></g></g></svg>'
    )
