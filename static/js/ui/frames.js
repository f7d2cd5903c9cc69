// The frames panel: one message exactly as it went over the wire. Each frame on its own row
// (index, size in bytes, text or hex), the envelope frames libzmq added (from `sent`), and
// who sent it, who got it, on which link, and when.

import { frameBytes, isHex, printable, spacedHex, totalBytes } from "../model/frames.js";
import { esc } from "../editor/fields.js";

export function createFramesPanel(host, { bus, messages }) {
  let current = null; // {msg, link, ev}
  const empty = `<div class="frames-empty">Click a token on the canvas or a line in the event log to see that message's frames.</div>`;
  host.innerHTML = `<div class="dock-head"><h2 class="panel-title">Frames</h2><span class="frames-id" data-testid="frames-msg"></span></div>
    <div class="frames-body" data-testid="frames-panel">${empty}</div>`;
  const body = host.querySelector(".frames-body");
  const idEl = host.querySelector(".frames-id");

  function rows(frames, { envelope = false } = {}) {
    return (frames || [])
      .map((f, i) => {
        const hex = isHex(f);
        const val = hex ? `<span class="hex">${esc(spacedHex(f.hex))}</span>` : `<span class="txt">${f === "" ? '<i class="muted">empty</i>' : esc(printable(f))}</span>`;
        return `<div class="frame-row${envelope ? " envelope" : ""}" data-testid="${envelope ? "envelope-row" : "frame-row"}">
          <span class="fi">${envelope ? `e${i}` : i}</span><span class="fs">${frameBytes(f)} B</span>
          <span class="fk">${envelope ? "envelope" : hex ? "hex" : "text"}</span><span class="fv" data-testid="frame-value">${val}</span></div>`;
      })
      .join("");
  }

  function block(title, sub, inner) {
    return `<section class="fblock"><header><b>${title}</b><span class="muted">${sub}</span></header>${inner}</section>`;
  }

  function render() {
    if (!current) {
      body.innerHTML = empty;
      idEl.textContent = "";
      return;
    }
    const m = messages.get(current.msg);
    if (!m) {
      body.innerHTML = `<div class="frames-empty">Message ${esc(current.msg)} is no longer kept (only the last 2000 are).</div>`;
      return;
    }
    idEl.textContent = `message ${m.id}`;
    const s = m.sent;
    const pick = (list) => list.find((x) => x.link === current.link) || list[0];
    const d = current.ev === "filtered" ? null : current.ev === "dropped" ? null : pick(m.deliveries);
    const f = current.ev === "filtered" ? pick(m.filtered) : null;
    const x = current.ev === "dropped" ? pick(m.dropped) : null;
    const hop = d || f || x;
    const fromKey = hop?.from || (s ? `${s.node}.${s.socket}` : "?");
    const status = d ? "delivered" : f ? "filtered" : x ? `dropped (${esc(x.reason)})` : "sent";
    const times = [s ? `sent ${fmt(s.t)}` : "", hop ? `${d ? "received" : f ? "filtered" : "dropped"} ${fmt(hop.t)}` : "", s && hop ? `<span class="muted">(+${(hop.t - s.t).toFixed(3)} ms)</span>` : ""]
      .filter(Boolean)
      .join(" · ");
    let html = `<div class="fsum">
      <div class="route"><span class="ep">${esc(fromKey)}</span><span class="arrow ${status.split(" ")[0]}">→</span><span class="ep">${esc(hop?.to || "?")}</span>
        <span class="pill st-${status.split(" ")[0]}">${status}</span></div>
      <div class="meta-line">${hop?.link ? `link <b>${esc(hop.link)}</b> · ` : ""}${times}</div></div>`;
    if (f) html += `<div class="fnote">The SUB at ${esc(f.to)} has no subscription that matches the first frame ${esc(JSON.stringify(f.topic ?? ""))}, so the publisher never sent it on this link.</div>`;
    if (s) {
      const env = s.envelope || [];
      html += block(
        `As sent by ${esc(s.node)}.${esc(s.socket)}`,
        `${(s.frames || []).length} frame${(s.frames || []).length === 1 ? "" : "s"}, ${s.size ?? totalBytes(s.frames)} B${env.length ? ` + ${env.length} envelope frame${env.length === 1 ? "" : "s"} added by libzmq` : ""}`,
        (env.length ? rows(env, { envelope: true }) : "") + rows(s.frames),
      );
    }
    if (d) {
      html += block(`As received by ${esc(d.to)}`, `${(d.frames || []).length} frame${(d.frames || []).length === 1 ? "" : "s"}, ${d.size ?? totalBytes(d.frames)} B: what recv returned`, rows(d.frames));
    }
    const others = m.deliveries.filter((o) => o !== d).map((o) => `${esc(o.to)}`);
    const filteredAt = m.filtered.filter((o) => o !== f).map((o) => esc(o.to));
    if (others.length || filteredAt.length) {
      html += `<div class="fnote">${others.length ? `Also delivered to ${others.join(", ")}. ` : ""}${filteredAt.length ? `Filtered at ${filteredAt.join(", ")}.` : ""}</div>`;
    }
    if ([s, d].some((e) => e?.cut)) html += `<div class="fnote">Frames longer than 256 bytes are shown cut.</div>`;
    body.innerHTML = html;
  }

  bus.on("msg:show", (sel) => {
    current = sel;
    render();
    bus.emit("msg:shown", sel);
  });

  return {
    render,
    clear() {
      current = null;
      render();
    },
  };
}

const fmt = (t) => (typeof t === "number" ? `${t.toFixed(3)} ms` : "");
