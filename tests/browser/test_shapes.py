"""Colour is never the only signal on the canvas: a filtered token carries a cross, a dropped one a
bar across its link, a blocked sender a pause sign, and the legend shows each shape.

The shapes are read from what the token layer draws: every path it strokes on its 2D context is
recorded (in client coordinates) beside the tokens it says it drew in that frame, and the lines
near each token are measured. No colour is looked at.
"""

import math
import os

SHOTS = os.environ.get("PLAYGROUND_SHOTS")  # a folder to keep the screenshot in, if set

# Records the lines and arcs of every path stroked or filled on the token canvas, per frame, and
# once per animation frame keeps, for each token drawn (tokens.snapshot()), the stroked lines
# around it. A sample whose token has a token of another kind close by is marked `crowded`.
RECORDER = """() => {
  const C = CanvasRenderingContext2D.prototype;
  const own = (g) => g.canvas.classList.contains('token-canvas');
  let cur = null, last = null, frame = [], rect = null;
  const pt = (g, x, y) => {
    const p = g.getTransform().transformPoint(new DOMPoint(x, y));
    const d = g.canvas.width / rect.width;
    return [rect.left + p.x / d, rect.top + p.y / d];
  };
  const wrap = (name, fn) => {
    const orig = C[name];
    C[name] = function (...a) { if (own(this)) fn(this, ...a); return orig.apply(this, a); };
  };
  wrap('clearRect', (g) => { frame = []; rect = g.canvas.getBoundingClientRect(); });
  wrap('beginPath', () => { cur = {lines: [], arcs: []}; last = null; });
  wrap('moveTo', (g, x, y) => { last = pt(g, x, y); });
  wrap('lineTo', (g, x, y) => {
    const p = pt(g, x, y);
    if (last) cur.lines.push([last, p]);
    last = p;
  });
  wrap('arc', (g, x, y, r) => {
    cur.arcs.push({c: pt(g, x, y), r: r * g.getTransform().a * rect.width / g.canvas.width});
  });
  wrap('stroke', () => cur && frame.push({op: 'stroke', lines: cur.lines.slice(),
                                          arcs: cur.arcs.slice()}));
  wrap('fill', () => cur && frame.push({op: 'fill', lines: [], arcs: cur.arcs.slice()}));
  window.__shapes = [];
  const kept = {delivered: 0, filtered: 0, dropped: 0};
  const mid = (l) => [(l[0][0] + l[1][0]) / 2, (l[0][1] + l[1][1]) / 2];
  // the tangent of a link's drawn path at the point nearest (x, y), in client coordinates
  const tangent = (link, x, y) => {
    const p = document.querySelector(`[data-testid=link-${link}] path`);
    if (!p) return null;
    const m = p.getScreenCTM(), n = p.getTotalLength();
    let best = null;
    for (let i = 0; i <= 400; i++) {
      const q = p.getPointAtLength((n * i) / 400).matrixTransform(m);
      const d = Math.hypot(q.x - x, q.y - y);
      if (!best || d < best.d) best = {d, i};
    }
    const a = p.getPointAtLength((n * Math.max(0, best.i - 2)) / 400).matrixTransform(m);
    const b = p.getPointAtLength((n * Math.min(400, best.i + 2)) / 400).matrixTransform(m);
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    return {dist: best.d, dx: (b.x - a.x) / len, dy: (b.y - a.y) / len};
  };
  const tick = () => {
    const snap = window.__playground.tokens.snapshot().filter((t) => t.kind !== 'pulse');
    const strokes = frame.filter((f) => f.op === 'stroke');
    for (const t of snap) {
      if (!(t.kind in kept) || kept[t.kind] >= (t.kind === 'delivered' ? 60 : 150)) continue;
      const crowded = snap.some((o) => o !== t && o.kind !== t.kind
                                       && Math.hypot(o.x - t.x, o.y - t.y) < 3 * t.r);
      const lines = [];
      for (const f of strokes) for (const l of f.lines) {
        const [mx, my] = mid(l);
        if (Math.abs(mx - t.x) < 1.5 && my - t.y < 1.5 && t.y - my < 4 * t.r) lines.push(l);
      }
      const dots = strokes.flatMap((f) => f.arcs)
        .filter((a) => Math.hypot(a.c[0] - t.x, a.c[1] - t.y) < 0.5);
      const bars = t.kind !== 'dropped' ? []
        : lines.map((l) => ({...tangent(t.link, ...mid(l)), mid: mid(l)}));
      window.__shapes.push({kind: t.kind, link: t.link, x: t.x, y: t.y, crowded, lines, bars,
                            dot: Math.max(0, ...dots.map((a) => a.r))});
      kept[t.kind]++;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def _unit(line):
    (x0, y0), (x1, y1) = line
    n = math.hypot(x1 - x0, y1 - y0)
    return ((x1 - x0) / n, (y1 - y0) / n, n)


def _distinct(lines):
    """The lines of a sample, each once (a bar is stroked twice: its edge, then itself)."""
    seen = {}
    for ln in lines:
        key = tuple(round(v, 1) for p in ln for v in p)
        seen[key] = ln
    return list(seen.values())


def _through_centre(sample, line, tol=1.5):
    (x0, y0), (x1, y1) = line
    return math.hypot((x0 + x1) / 2 - sample["x"], (y0 + y1) / 2 - sample["y"]) < tol


def _shape(sample):
    """'cross' (two perpendicular lines through the token's centre), 'bar' (one direction of
    line at or above the token), or 'dot' (no line)."""
    lines = [ln for ln in _distinct(sample["lines"]) if _unit(ln)[2] > 2]
    if not lines:
        return "dot"
    centre = [ln for ln in lines if _through_centre(sample, ln)]
    for i, a in enumerate(centre):
        for b in centre[i + 1 :]:
            ua, ub = _unit(a), _unit(b)
            if abs(ua[0] * ub[0] + ua[1] * ub[1]) < 0.1:
                return "cross"
    dirs = {(round(abs(_unit(ln)[0]), 2), round(abs(_unit(ln)[1]), 2)) for ln in lines}
    return "bar" if len(dirs) == 1 else "other"


def _samples(page, kind):
    out = page.evaluate("(k) => window.__shapes.filter((s) => s.kind === k)", kind)
    return [s for s in out if not s["crowded"]]


def _legend_shapes(page):
    return page.evaluate("""() => Object.fromEntries(['filtered', 'dropped', 'blocked'].map((k) => {
      const svg = document.querySelector(`[data-testid=legend-${k}] svg`);
      const box = svg.closest('[data-testid]').getBoundingClientRect();
      return [k, {circles: svg.querySelectorAll('circle').length,
                  paths: [...svg.querySelectorAll('path')].map((p) => p.getAttribute('d')),
                  bars: [...svg.querySelectorAll('rect.lg-pause')].map((r) => r.getBBox())
                        .map((b) => [b.x, b.y, b.width, b.height]),
                  text: svg.parentElement.textContent.trim(), visible: box.width > 0}];
    }))""")


def test_hwm_dropped_tokens_carry_a_bar_blocked_a_pause_sign_and_the_legend_shows_them(
    page, ed, tmp_path
):
    ed.load_preset("hwm")
    page.evaluate(RECORDER)
    ed.run()
    ed.wait_counter("l1", "dropped", 0)
    ed.wait(
        "() => window.__shapes.filter((s) => s.kind === 'dropped' && !s.crowded).length >= 20"
        " && window.__shapes.filter((s) => s.kind === 'delivered' && !s.crowded).length >= 10",
        timeout=20000,
    )
    dropped = _samples(page, "dropped")
    for s in dropped:
        assert _shape(s) == "bar", s
        assert len(s["bars"]) == len(s["lines"]) >= 1, s
        for ln, at in zip(s["lines"], s["bars"], strict=True):
            # across its link, where it is (or was, once it falls), and longer than the dot is wide
            ux, uy, length = _unit(ln)
            assert at["dist"] < 2, s
            assert abs(ux * at["dx"] + uy * at["dy"]) < 0.15, s
            assert length > 2 * s["dot"] > 0, s
    # a delivered token is a plain dot: no line of its own
    delivered = _samples(page, "delivered")
    assert delivered and all(_shape(s) == "dot" for s in delivered)

    # the pusher blocks at its HWM: a pause sign (two upright bars side by side) on its port
    _pause(page, ed, "slowpull")
    page.wait_for_selector("[data-testid=blocked-pusher-out]", timeout=15000)
    bars = page.evaluate("""() => [...document.querySelectorAll(
        '[data-testid=blocked-pusher-out] .bt-icon')].map((r) => r.getBBox())
        .map((b) => [b.x, b.y, b.width, b.height])""")
    assert len(bars) == 2
    (x0, y0, w0, h0), (x1, y1, w1, h1) = bars
    assert h0 == h1 > 2 * w0 and w0 == w1 and y0 == y1 and x1 - x0 > w0

    # the legend draws each shape beside its word
    legend = _legend_shapes(page)
    assert legend["filtered"]["circles"] == 1 and legend["filtered"]["paths"] == [
        "M-3,-3L3,3M3,-3L-3,3"
    ]
    assert legend["dropped"]["circles"] == 1 and legend["dropped"]["paths"] == ["M0,-7.5V7.5"]
    pause = legend["blocked"]["bars"]
    assert len(pause) == 2 and pause[0][3] == pause[1][3] > 2 * pause[0][2]
    assert legend["blocked"]["text"] == "blocked at HWM" and legend["dropped"]["text"] == "dropped"
    assert all(v["visible"] for v in legend.values())
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), "shapes-hwm.png"))


def test_filtered_tokens_carry_a_cross_from_the_moment_they_appear(page, ed, tmp_path):
    ed.load_preset("pubsub-weather")
    page.evaluate(RECORDER)
    ed.run()
    ed.wait_counter("l3", "filtered", above=2, timeout=20000)
    ed.wait(
        "() => window.__shapes.filter((s) => s.kind === 'filtered' && !s.crowded).length >= 20",
        timeout=20000,
    )
    filtered = _samples(page, "filtered")
    assert all(_shape(s) == "cross" for s in filtered), [
        s for s in filtered if _shape(s) != "cross"
    ][:2]
    page.click("[data-testid=pause]")
    ed.wait("() => window.__playground.tokens.paused")
    page.screenshot(path=os.path.join(SHOTS or str(tmp_path), "shapes-filtered.png"))


def _pause(page, ed, node):
    """Pause a node from its inspector, as a person would."""
    page.click(f"[data-testid=node-{node}] .node-title", force=True)
    page.click("[data-testid=fault-pause]")
    ed.wait(
        "(n) => document.querySelector(`[data-testid=node-${n}]`)?.getAttribute('data-state')"
        " === 'paused'",
        arg=node,
    )
