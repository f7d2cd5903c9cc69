// A bounded store of recent messages, joining a message's `sent` event with its
// `delivered` / `filtered` / `dropped` events by message id. Oldest entries are evicted
// first (a Map keeps insertion order). No DOM.

export function createMessageStore(limit = 2000) {
  const byId = new Map();

  function entry(id) {
    let m = byId.get(id);
    if (!m) {
      m = { id, sent: null, deliveries: [], filtered: [], dropped: [] };
      byId.set(id, m);
      while (byId.size > limit) byId.delete(byId.keys().next().value);
    }
    return m;
  }

  return {
    get size() {
      return byId.size;
    },
    // Ids may arrive as numbers; DOM attributes hand them back as strings: key by string.
    get: (id) => byId.get(String(id)) || null,
    clear: () => byId.clear(),
    /** Record one event; returns the message entry it belongs to (or null). */
    add(ev) {
      if (ev.msg === undefined || ev.msg === null) return null;
      const m = entry(String(ev.msg));
      if (ev.ev === "sent") m.sent = ev;
      else if (ev.ev === "delivered") m.deliveries.push(ev);
      else if (ev.ev === "filtered") m.filtered.push(ev);
      else if (ev.ev === "dropped") m.dropped.push(ev);
      // Bound the per-message lists too (a PUB to many SUBs fans out).
      for (const k of ["deliveries", "filtered", "dropped"]) if (m[k].length > 64) m[k].shift();
      return m;
    },
  };
}
