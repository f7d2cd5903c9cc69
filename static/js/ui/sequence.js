// The message sequence chart beside the log: one lifeline per socket (in the canvas's left-to-right
// order), one row per traced event, time going down (rows are in event order, not to scale: the
// left gutter gives each row's time). A message's `sent` is a dot on its sender's lifeline; each of
// its `delivered` / `filtered` / `dropped` is an arrow from that dot to the receiver's lifeline at
// the row where it happened. Outcomes differ by shape, not colour alone:
//   delivered  solid line, filled arrowhead
//   filtered   dashed line ending in a cross before the SUB, "filtered"
//   dropped    dotted line broken off half way with a bar, "dropped (hwm)"
//   blocked    a pause sign on the sender's lifeline (unblocked: a play sign), as on the canvas
// Sampling honesty, as on the canvas: only traced events are drawn. A batch the server sampled
// becomes a "not traced" band with the count it gives; a delivery whose send was not traced (or
// is older than the rows kept) starts at a hollow circle on its own row; a send with no outcome
// seen says so. Nothing is inferred.
//
// Synchronised through the bus: a click (or Enter) on an arrow emits msg:show (the frames panel,
// the log and the token follow) and link:select (its link is selected on the canvas, the keyboard
// focus stays on the arrow); msg:shown from anywhere highlights that message's rows and scrolls
// to them; selection:changed highlights a node's lifelines or a link's arrows.

import { preview } from "../model/frames.js";
import { esc } from "../editor/fields.js";
import { applyI18n, onLangChange, t, tState } from "../i18n.js";

const MAX_ROWS = 200;
const ROW = 22;
const COL = 112;
const GUT = 66; // left gutter: each row's time
const FLUSH_MS = 250; // at most four redraws a second, like the log...
const BUDGET = 0.1; // ...and the chart takes at most a tenth of the main thread: a redraw that
// took r ms waits 10 r before the next, so a busy run's tokens keep their frames
const MESSAGE = new Set(["sent", "delivered", "filtered", "dropped"]);
const DRAWN = new Set([...MESSAGE, "error", "node", "link", "blocked", "unblocked", "stopped"]);

const fmtT = (v) => (typeof v !== "number" ? "" : v < 10000 ? `${v.toFixed(1)} ms` : `${(v / 1000).toFixed(3)} s`);
const short = (s, n = 16) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function createSequence(host, { bus, store }) {
  host.innerHTML = `<div class="dock-head"><h2 class="panel-title" data-i18n="seq.title"></h2>
      <span class="seq-key" aria-hidden="true"><span class="k-del">→ <span data-i18n="ev.delivered"></span></span><span class="k-fil">⇢✕ <span data-i18n="ev.filtered"></span></span><span class="k-drp">┈⊣ <span data-i18n="ev.dropped"></span></span></span>
      <span class="log-count" data-testid="seq-count"></span></div>
    <div class="seq-body" data-testid="sequence" tabindex="0" role="group" data-i18n-aria-label="seq.aria"><div class="seq-empty log-empty" data-i18n="seq.empty"></div></div>`;
  applyI18n(host);
  const body = host.querySelector(".seq-body");
  const countEl = host.querySelector("[data-testid=seq-count]");
  let rows = []; // {ev} or {gap: n} or {cut: n}
  let cut = 0; // rows dropped off the top
  let untraced = 0; // message events the server left out (sampled batches)
  let dirty = false;
  let scheduled = false;
  let lastFlush = 0;
  let wait = FLUSH_MS;
  let follow = true;
  let selectedMsg = null;
  let selection = null;
  body.addEventListener("scroll", () => {
    follow = body.scrollHeight - body.scrollTop - body.clientHeight < 30;
  }, { passive: true });

  // Lifelines: every socket of the document, nodes ordered left to right as on the canvas, then
  // any endpoint seen in events that the document does not name (an outside peer, a removed node).
  function lifelines() {
    const doc = store.plain();
    const nodes = [...(doc.nodes || [])].sort((a, b) => (a.x ?? 0) - (b.x ?? 0) || (a.y ?? 0) - (b.y ?? 0));
    const cols = [];
    for (const n of nodes) for (const s of n.sockets || []) cols.push({ id: `${n.id}.${s.name}`, node: n.id, label: n.label || n.id, sock: s.name, type: s.type });
    const known = new Set(cols.map((c) => c.id));
    const add = (id) => {
      if (!id || known.has(id)) return;
      known.add(id);
      const [node, sock = ""] = String(id).split(".");
      cols.push({ id, node, label: node, sock, type: "" });
    };
    for (const r of rows) {
      const ev = r.ev;
      if (!ev) continue;
      if (ev.ev === "sent" || ev.ev === "blocked" || ev.ev === "unblocked" || (ev.ev === "error" && ev.socket)) add(`${ev.node}.${ev.socket}`);
      else if (ev.from) {
        add(ev.from);
        add(ev.to);
      }
    }
    return cols;
  }

  function linkEnds(id) {
    const l = (store.doc.links || []).find((x) => x.id === id);
    return l ? [`${l.connect.node}.${l.connect.socket}`, `${l.bind.node}.${l.bind.socket}`] : null;
  }

  function render() {
    if (!rows.length && !cut) {
      body.innerHTML = `<div class="seq-empty log-empty">${esc(t("seq.empty"))}</div>`;
      countEl.textContent = "";
      return;
    }
    const cols = lifelines();
    const x = new Map(cols.map((c, i) => [c.id, GUT + COL / 2 + i * COL]));
    const nodeCols = (node) => cols.filter((c) => c.node === node).map((c) => x.get(c.id));
    const width = GUT + cols.length * COL + 8;
    const top = cut ? 1 : 0;
    const height = (rows.length + top) * ROW + 10;
    const y = (i) => (i + top) * ROW + ROW / 2 + 2;
    const sentRow = new Map();
    const outcomes = new Set();
    rows.forEach((r, i) => {
      if (r.ev?.ev === "sent") sentRow.set(String(r.ev.msg), i);
      else if (r.ev && MESSAGE.has(r.ev.ev)) outcomes.add(String(r.ev.msg));
    });
    const sel = selection;
    const out = [];
    const lines = cols.map((c) => {
      const hot = sel?.type === "node" && sel.id === c.node;
      return `<line class="seq-life${hot ? " hot" : ""}" x1="${x.get(c.id)}" x2="${x.get(c.id)}" y1="0" y2="${height}"/>`;
    });
    if (cut) out.push(`<text class="seq-note" x="${GUT}" y="${y(-1) + 4}">${esc(t("seq.cut", { n: cut.toLocaleString() }))}</text>`);
    rows.forEach((r, i) => {
      const yy = y(i);
      if (r.gap) {
        out.push(`<g class="seq-gap" data-testid="seq-gap" data-n="${r.gap}"><rect x="2" y="${yy - ROW / 2 + 2}" width="${width - 4}" height="${ROW - 4}" rx="4"/><text x="${GUT}" y="${yy + 4}">⋯ ${esc(t("seq.untraced", { n: r.gap.toLocaleString() }))}</text></g>`);
        return;
      }
      const ev = r.ev;
      const time = `<text class="seq-t" x="${GUT - 8}" y="${yy + 4}">${esc(fmtT(ev.t))}</text>`;
      const msgAttrs = (e) => `data-msg="${esc(e.msg)}" data-ev="${esc(e.ev)}"${e.link ? ` data-link="${esc(e.link)}"` : ""} tabindex="-1" role="button"`;
      const selCls = (e) => `${String(e.msg) === selectedMsg ? " selected" : ""}${sel?.type === "link" && e.link === sel.id ? " hot" : ""}`;
      if (ev.ev === "sent") {
        const sx = x.get(`${ev.node}.${ev.socket}`);
        const lonely = !outcomes.has(String(ev.msg));
        const label = esc(short(preview(ev.frames)));
        out.push(`<g class="seq-msg seq-sent${selCls(ev)}" data-testid="seq-sent" ${msgAttrs(ev)} aria-label="${esc(t("seq.a.sent", { from: `${ev.node}.${ev.socket}`, msg: ev.msg }))}">${time}<circle cx="${sx}" cy="${yy}" r="4"/>${lonely ? `<path class="seq-stub" d="M${sx + 5},${yy}h14"/><text class="seq-lbl seq-pending" x="${sx + 22}" y="${yy + 4}">${label} · ${esc(t("seq.noOutcome"))}</text>` : ""}<title>${esc(t("seq.a.sent", { from: `${ev.node}.${ev.socket}`, msg: ev.msg }))}${ev.envelope?.length ? ` ${esc(t("log.envelope", { n: ev.envelope.length }))}` : ""}</title></g>`);
        return;
      }
      if (MESSAGE.has(ev.ev)) {
        const fx = x.get(ev.from);
        const tx = x.get(ev.to);
        const si = sentRow.get(String(ev.msg));
        const traced = si !== undefined;
        const sy = traced ? y(si) : yy;
        const dir = tx >= fx ? 1 : -1;
        const label = ev.ev === "delivered" ? short(preview(ev.frames)) : ev.ev === "filtered" ? t("seq.filtered") : t("seq.dropped", { reason: ev.reason || "" });
        let shape;
        if (ev.ev === "delivered") {
          const ex = tx - dir * 6;
          shape = `<path class="seq-arrow" d="M${fx},${sy}L${ex},${yy}"/><path class="seq-head" d="M${tx},${yy}l${-dir * 8},-4.5v9z"/>`;
        } else if (ev.ev === "filtered") {
          const ex = tx - dir * 12;
          shape = `<path class="seq-arrow" d="M${fx},${sy}L${ex},${yy}"/><path class="seq-cross" d="M${ex - 4},${yy - 4}l8,8m0,-8l-8,8"/>`;
        } else {
          const mx = fx + (tx - fx) / 2;
          const my = sy + (yy - sy) / 2;
          shape = `<path class="seq-arrow" d="M${fx},${sy}L${mx},${my}"/><path class="seq-bar" d="M${mx},${my - 6}v12"/>`;
        }
        const start = traced ? "" : `<circle class="seq-untraced" cx="${fx}" cy="${yy}" r="4"/>`;
        shape = `<path class="seq-hit" d="M${fx},${sy}L${tx},${yy}"/>${shape}`; // a wide, invisible target for the pointer
        const lx = (fx + tx) / 2;
        const desc = t(`seq.a.${ev.ev}`, { from: ev.from, to: ev.to, msg: ev.msg, reason: ev.reason || "" }) + (traced ? "" : ` ${t("seq.sendUntraced")}`);
        out.push(`<g class="seq-msg seq-${ev.ev}${traced ? "" : " untraced-send"}${selCls(ev)}" data-testid="seq-${ev.ev}" ${msgAttrs(ev)} aria-label="${esc(desc)}">${time}${shape}${start}<text class="seq-lbl" x="${lx}" y="${yy - 5}" text-anchor="middle">${esc(label)}</text><title>${esc(desc)}</title></g>`);
        return;
      }
      if (ev.ev === "node") {
        const xs = nodeCols(ev.node);
        const cx = xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : GUT + COL / 2;
        const bad = ["crashed", "killed", "removed"].includes(ev.state);
        const text = `${bad ? "✕ " : "● "}${ev.node} ${tState(ev.state)}`;
        const detail = ev.detail ? (typeof ev.detail === "string" ? ev.detail : JSON.stringify(ev.detail)) : "";
        out.push(`<g class="seq-state seq-node${bad ? " bad" : ""}" data-testid="seq-node">${time}<rect x="${cx - 52}" y="${yy - 8}" width="104" height="16" rx="${bad ? 0 : 8}"/><text x="${cx}" y="${yy + 4}" text-anchor="middle">${esc(short(text, 18))}</text><title>${esc(text)}${detail ? `: ${esc(detail)}` : ""}</title></g>`);
        return;
      }
      if (ev.ev === "link") {
        const ends = linkEnds(ev.link);
        const a = ends && x.get(ends[0]);
        const b = ends && x.get(ends[1]);
        const cx = a !== undefined && b !== undefined && ends ? (a + b) / 2 : GUT + COL / 2;
        const hot = sel?.type === "link" && sel.id === ev.link ? " hot" : "";
        const line = ends && a !== undefined && b !== undefined ? `<path class="seq-linkline" d="M${a},${yy}L${b},${yy}"/>` : "";
        out.push(`<g class="seq-state seq-link${hot}" data-testid="seq-link" data-link="${esc(ev.link)}">${time}${line}<text x="${cx}" y="${yy - 3}" text-anchor="middle">${esc(t("log.link", { id: ev.link, state: tState(ev.state) }))}</text></g>`);
        return;
      }
      const sx = x.get(`${ev.node}.${ev.socket}`) ?? nodeCols(ev.node)[0] ?? GUT + COL / 2;
      if (ev.ev === "error") {
        out.push(`<g class="seq-state seq-error" data-testid="seq-error">${time}<path d="M${sx},${yy - 8}l8,8l-8,8l-8,-8z"/><text x="${sx + 12}" y="${yy + 4}">! ${esc(ev.error || "")}</text><title>${esc(ev.message || "")}</title></g>`);
      } else if (ev.ev === "blocked" || ev.ev === "unblocked") {
        // the canvas's vocabulary: a pause sign where a send waits at its HWM, a play sign where it goes on
        const mark = ev.ev === "blocked" ? `<rect x="${sx - 5}" y="${yy - 5}" width="3.5" height="10"/><rect x="${sx + 1.5}" y="${yy - 5}" width="3.5" height="10"/>` : `<path d="M${sx - 4},${yy - 5}v10l8.5,-5z"/>`;
        out.push(`<g class="seq-state seq-${ev.ev}" data-testid="seq-${ev.ev}">${time}${mark}<text x="${sx + 10}" y="${yy + 4}">${esc(ev.ev === "blocked" ? t("seq.blocked") : t("log.unblocked"))}</text></g>`);
      } else if (ev.ev === "stopped") {
        out.push(`<g class="seq-state seq-stopped">${time}<path class="seq-linkline" d="M${GUT},${yy}H${width - 4}"/><text x="${GUT + 4}" y="${yy - 3}">${esc(t("log.stopped"))}</text></g>`);
      }
    });
    // The lifelines' names: an SVG of its own that stays at the top while the rows scroll (the
    // page's CSP allows no inline style attributes, so positions are SVG attributes).
    const head = cols
      .map((c) => {
        const cx = x.get(c.id);
        const hot = sel?.type === "node" && sel.id === c.node ? " hot" : "";
        return `<g class="seq-col${hot}" data-testid="seq-lifeline" data-socket="${esc(c.id)}"><title>${esc(c.id)}${c.type ? ` (${esc(c.type)})` : ""}</title><rect x="${cx - COL / 2 + 3}" y="2" width="${COL - 6}" height="28" rx="5"/><text class="seq-cn" x="${cx}" y="14" text-anchor="middle">${esc(short(c.label, 15))}</text><text class="seq-cs" x="${cx}" y="26" text-anchor="middle">${esc(short(`${c.sock}${c.type ? ` · ${c.type}` : ""}`, 18))}</text></g>`;
      })
      .join("");
    const keepScroll = body.scrollTop;
    // the message that has the keyboard focus keeps it through the redraw
    const f = document.activeElement?.closest?.(".seq-msg");
    const focusKey = f && body.contains(f) ? `${f.getAttribute("data-msg")}|${f.getAttribute("data-ev")}|${f.getAttribute("data-link") || ""}` : null;
    body.innerHTML = `<svg class="seq-head" width="${width}" height="32" viewBox="0 0 ${width} 32">${head}</svg><svg class="seq-svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${lines.join("")}${out.join("")}</svg>`;
    body.scrollTop = follow ? 1e9 : keepScroll;
    if (focusKey) {
      const again = [...body.querySelectorAll(".seq-msg")].find((g) => `${g.getAttribute("data-msg")}|${g.getAttribute("data-ev")}|${g.getAttribute("data-link") || ""}` === focusKey);
      (again || body).focus({ preventScroll: true });
    }
    countEl.textContent = t("seq.count", { n: rows.length, count: rows.length.toLocaleString() }) + (untraced ? ` · ${t("seq.untracedTotal", { n: untraced.toLocaleString() })}` : "");
  }

  function flush(now) {
    scheduled = false;
    if (!dirty) return;
    if (now - lastFlush < wait) return schedule();
    // A hidden chart (phone layout) is not drawn; it catches up when shown.
    if (!body.offsetParent) return setTimeout(schedule, 500);
    lastFlush = now;
    dirty = false;
    render();
    wait = Math.max(FLUSH_MS, (performance.now() - now) / BUDGET);
  }

  function schedule() {
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(flush);
    }
  }

  function changed() {
    dirty = true;
    schedule();
  }

  function push(row) {
    rows.push(row);
    if (rows.length > MAX_ROWS) {
      const n = rows.length - MAX_ROWS;
      rows = rows.slice(n);
      cut += n;
    }
  }

  // An arrow picked here shows its message everywhere (frames, log line, token) and selects its
  // link on the canvas (a token click does not: it must not select what lies behind it).
  function open(g) {
    selectedMsg = g.getAttribute("data-msg");
    const link = g.getAttribute("data-link");
    bus.emit("msg:show", { msg: selectedMsg, link, ev: g.getAttribute("data-ev") });
    if (link && (store.doc.links || []).some((l) => l.id === link)) bus.emit("link:select", { id: link });
  }

  body.addEventListener("click", (e) => {
    const g = e.target.closest(".seq-msg");
    if (g) open(g);
  });
  // Keyboard, as in the log: arrows move between messages, Enter or Space opens one.
  body.addEventListener("keydown", (e) => {
    const items = [...body.querySelectorAll(".seq-msg")];
    if (!items.length) return;
    const cur = items.indexOf(document.activeElement);
    let next = null;
    if (e.key === "ArrowDown") next = cur < 0 ? items.length - 1 : Math.min(items.length - 1, cur + 1);
    else if (e.key === "ArrowUp") next = cur < 0 ? items.length - 1 : Math.max(0, cur - 1);
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = items.length - 1;
    else if ((e.key === "Enter" || e.key === " ") && cur >= 0) {
      e.preventDefault();
      open(items[cur]);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    follow = next === items.length - 1;
    items[next].focus();
  });

  bus.on("msg:shown", ({ msg }) => {
    selectedMsg = msg === undefined || msg === null ? null : String(msg);
    for (const g of body.querySelectorAll(".seq-msg.selected")) g.classList.remove("selected");
    const mine = [...body.querySelectorAll(".seq-msg")].filter((g) => g.getAttribute("data-msg") === selectedMsg);
    for (const g of mine) g.classList.add("selected");
    if (mine.length) {
      follow = false;
      mine[0].scrollIntoView?.({ block: "nearest", inline: "nearest" });
    }
  });
  bus.on("selection:changed", (s) => {
    selection = s;
    changed();
  });
  bus.on("run:started", () => {
    rows = [];
    cut = 0;
    untraced = 0;
    selectedMsg = null;
    follow = true;
    changed();
  });
  bus.on("run:batch", (m) => {
    if (m.sampled && m.skipped) {
      push({ gap: Number(m.skipped) });
      untraced += Number(m.skipped);
    }
    for (const ev of Array.isArray(m.events) ? m.events : []) if (DRAWN.has(ev.ev)) push({ ev });
    changed();
  });
  bus.on("doc:changed", ({ reason }) => reason !== "view" && rows.length && changed());
  onLangChange(changed);

  return {
    get rows() {
      return rows.length;
    },
    /** Draw now (tests, and after the panel is shown). */
    renderNow() {
      dirty = false;
      render();
    },
  };
}
