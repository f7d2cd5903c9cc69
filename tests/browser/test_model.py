"""The DOM-free model modules (static/js/model/), imported and exercised inside the browser."""

import pytest

from app.web.assets import tree_hash

STATIC = f"/static/{tree_hash()}"  # where the server serves static/ (app/web/assets.py)

PRELUDE = """
  const wiring = await import('/static/js/model/wiring.js');
  const topo = await import('/static/js/model/topology.js');
  const meta = await import('/static/js/model/meta.js');
  const url = await import('/static/js/model/urlstate.js');
  const messages = await import('/static/js/model/messages.js');
  const frames = await import('/static/js/model/frames.js');
  const M = meta.normalizeMeta(await (await fetch('/api/meta')).json());
""".replace("/static/", STATIC + "/")


@pytest.fixture
def model(page):
    """Run a snippet with the model modules in scope (no eval in the page: its CSP forbids it)."""

    def run(body):
        return page.evaluate(
            "async () => {" + PRELUDE + body.replace("STATIC/", STATIC + "/") + "}"
        )

    return run


def test_wiring_rules_come_from_meta_pairs(model):
    result = model("""
      const d = topo.emptyDoc();
      const a = topo.addNode(d, M, 'source', 0, 0);   // PUSH bind
      const b = topo.addNode(d, M, 'sink', 300, 0);   // PULL bind
      const out = {};
      const OUT = {node: a.id, socket: 'out'}, IN = {node: b.id, socket: 'in'};
      out.bindBind = wiring.checkWire(d, M, OUT, IN);
      b.sockets[0].mode = 'connect';
      out.ok = wiring.checkWire(d, M, OUT, IN);
      a.sockets[0].type = 'PUB';
      out.pubPull = wiring.checkWire(d, M, OUT, IN);
      const p1 = topo.addNode(d, M, 'sink', 0, 200), p2 = topo.addNode(d, M, 'sink', 0, 400);
      const p3 = topo.addNode(d, M, 'sink', 0, 600);
      for (const n of [p1, p2, p3]) n.sockets[0].type = 'PAIR';
      p2.sockets[0].mode = p3.sockets[0].mode = 'connect';
      const w = wiring.checkWire(d, M, {node: p2.id, socket: 'in'}, {node: p1.id, socket: 'in'});
      topo.addLink(d, w.connect, w.bind);
      out.secondPair = wiring.checkWire(d, M, {node: p3.id, socket: 'in'},
                                        {node: p1.id, socket: 'in'});
      return out;
    """)
    assert not result["bindBind"]["ok"] and "bind" in result["bindBind"]["reason"]
    assert result["ok"]["ok"] and result["ok"]["connect"]["socket"] == "in"
    assert result["pubPull"] == {"ok": False, "reason": "PUB talks to SUB or XSUB, not PULL"}
    assert (
        not result["secondPair"]["ok"]
        and "already has its one peer" in result["secondPair"]["reason"]
    )


def test_url_fragment_and_bounded_message_store(model):
    result = model("""
      const d = topo.emptyDoc(); topo.addNode(d, M, 'worker', 10, 20);
      const back = url.decodeFragment(url.encodeFragment(d));
      const lz = await import('STATIC/vendor/lz-string.mjs');
      const packed = lz.compressToEncodedURIComponent(JSON.stringify(d));
      const v0 = url.decodeFragment('#t=' + packed);  // links written before v=1
      const future = url.decodeFragment('#v=9&t=' + packed);
      const store = messages.createMessageStore(5);
      for (let i = 1; i <= 8; i++) store.add({ev: 'sent', msg: i, frames: ['x'], t: i});
      store.add({ev: 'delivered', msg: 8, link: 'l1', frames: ['x'], t: 9});
      return {same: JSON.stringify(back) === JSON.stringify(d),
              bad: url.decodeFragment('#t=garbage'),
              v0: JSON.stringify(v0) === JSON.stringify(d), future,
              size: store.size, oldest: store.get(3), newest: store.get('8').deliveries.length,
              bytes: [frames.frameBytes('héllo'), frames.frameBytes({hex: '00ff10'})]};
    """)
    assert result["same"] is True
    assert result["v0"] is True
    assert result["future"] is None
    assert result["bad"] is None
    assert result["size"] == 5 and result["oldest"] is None and result["newest"] == 1
    assert result["bytes"] == [6, 3]
