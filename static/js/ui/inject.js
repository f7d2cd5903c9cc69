// Inject (docs/protocol.md, "Inject"): send one message now from any sending socket of a running
// node, as Node-RED's inject node does. A section of the node's inspector while a run is live:
// the socket, a frames editor (one row per frame, text or hex, added and removed), the envelope
// (a ROUTER's peer routing id, with the empty delimiter a REQ/REP peer needs; a DEALER's
// delimiter for a REP), a count, Send. A source also gets "Send one": one message from its own
// template. The form's state lives here, per node, so the inspector can re-render at any time.

import { esc } from "../editor/fields.js";
import { hexOfText, isHex } from "../model/frames.js";
import { t } from "../i18n.js";

const RECEIVE_ONLY = new Set(["SUB", "PULL"]);
const MAX_FRAMES = 32;
const MAX_COUNT = 100;
const HEX = /^[0-9a-fA-F\s]*$/;

export function createInject({ bus, socket, store, isLive, render }) {
  const forms = new Map(); // node id → {socket, rows: [{kind, value}], peer, delim, count}
  const seen = new Map(); // "node.socket" of a ROUTER → Map(id key → {frame, from})
  let answer = null; // {node, ok, text}

  const nodeOf = (id) => store.doc.nodes.find((n) => n.id === id);
  const typeOf = (key) => {
    const i = key.lastIndexOf(".");
    return nodeOf(key.slice(0, i))?.sockets.find((s) => s.name === key.slice(i + 1))?.type;
  };
  const senders = (n) => n.sockets.filter((s) => !RECEIVE_ONLY.has(s.type));

  function form(n) {
    let f = forms.get(n.id);
    const names = senders(n).map((s) => s.name);
    if (!f) forms.set(n.id, (f = { socket: names[0], rows: [{ kind: "text", value: "hello" }], peer: "", delim: null, count: 1 }));
    if (!names.includes(f.socket)) f.socket = names[0];
    return f;
  }

  // The peers a ROUTER can address: the routing ids its linked peers set (exact, as a ROUTER
  // source uses them) and the ids it has received from during this run.
  function peersOf(n, sockName) {
    const key = `${n.id}.${sockName}`;
    const out = new Map();
    for (const l of store.doc.links) {
      const mine = `${l.bind.node}.${l.bind.socket}` === key ? l.connect : `${l.connect.node}.${l.connect.socket}` === key ? l.bind : null;
      const peer = mine && nodeOf(mine.node)?.sockets.find((s) => s.name === mine.socket);
      const rid = peer?.options?.routing_id;
      if (rid) out.set(`t:${rid}`, { frame: rid, from: `${mine.node}.${mine.socket}`, type: peer.type });
    }
    for (const [k, v] of seen.get(key) || []) if (!out.has(k)) out.set(k, { ...v, type: typeOf(v.from) });
    return out;
  }

  bus.on("run:started", () => {
    seen.clear();
    answer = null;
  });
  bus.on("run:batch", (m) => {
    for (const ev of m.events || []) {
      if (ev.ev !== "delivered" || !Array.isArray(ev.frames) || !ev.frames.length || typeOf(ev.to) !== "ROUTER") continue;
      const f = ev.frames[0];
      const k = isHex(f) ? `h:${f.hex}` : `t:${f}`;
      if (!seen.has(ev.to)) seen.set(ev.to, new Map());
      const ids = seen.get(ev.to);
      if (!ids.has(k) && ids.size < 32) {
        ids.set(k, { frame: f, from: ev.from });
        if (forms.has(ev.to.slice(0, ev.to.lastIndexOf(".")))) render();
      }
    }
  });
  bus.on("server:inject", (m) => {
    const where = `${m.node ?? "?"}.${m.socket ?? "?"}`;
    answer = {
      node: m.node,
      ok: m.ok && !m.error,
      text: !m.ok ? m.problem : m.error ? t("inject.refused", { where, n: m.sent, error: m.error }) : t("inject.sent", { where, n: m.sent }),
    };
    bus.emit("toast:show", { kind: answer.ok ? "info" : "error", text: answer.text, sticky: answer.ok ? 1800 : 5000 });
    render();
  });

  /** The frames the form sends: the envelope, then the rows. */
  function framesOf(n, f) {
    const type = n.sockets.find((s) => s.name === f.socket)?.type;
    const env = [];
    if (type === "ROUTER" && f.peer) {
      const p = peersOf(n, f.socket).get(f.peer);
      if (p) env.push(p.frame, ...(p.type === "REQ" || p.type === "REP" ? [""] : []));
    }
    if (type === "DEALER" && delimOn(n, f)) env.push("");
    const rows = f.rows.map((r, i) => {
      if (r.kind === "text") return r.value;
      if (!HEX.test(r.value) || r.value.replace(/\s/g, "").length % 2) throw new Error(t("inject.badHex", { i: i + 1 }));
      return { hex: r.value.replace(/\s/g, "").toLowerCase() };
    });
    return { envelope: env, frames: [...env, ...rows] };
  }

  // A DEALER talking to a REP must add the empty delimiter itself: on by default then.
  function delimOn(n, f) {
    if (f.delim !== null) return f.delim;
    const key = `${n.id}.${f.socket}`;
    return store.doc.links.some((l) => {
      const other = `${l.connect.node}.${l.connect.socket}` === key ? l.bind : `${l.bind.node}.${l.bind.socket}` === key ? l.connect : null;
      return other && typeOf(`${other.node}.${other.socket}`) === "REP";
    });
  }

  function send(n, frames, count) {
    socket.send({ op: "inject", node: n.id, socket: form(n).socket, frames, count });
  }

  // A source's own next message, from its template: {n} is "inject", {topic} its first topic.
  function templateFrames(n) {
    const b = n.behaviour || {};
    const topic = (b.topics || [])[0] ?? "";
    return (b.frames || ["msg {n}"]).map((s) => String(s).replaceAll("{n}", "inject").replaceAll("{topic}", topic).replaceAll("{node}", n.id));
  }

  document.addEventListener("input", (e) => {
    const el = e.target.closest?.("[data-inj]");
    if (!el) return;
    const n = nodeOf(el.getAttribute("data-node"));
    if (!n) return;
    const f = form(n), what = el.getAttribute("data-inj"), i = Number(el.getAttribute("data-i"));
    if (what === "value") f.rows[i].value = el.value;
    else if (what === "kind") {
      const r = f.rows[i];
      // switching a row keeps its bytes: text → its UTF-8 in hex; hex → text when it is UTF-8
      if (el.value === "hex" && r.kind === "text") r.value = hexOfText(r.value);
      else if (el.value === "text" && r.kind === "hex") r.value = textOfHex(r.value) ?? "";
      r.kind = el.value;
      render();
    } else if (what === "socket") {
      f.socket = el.value;
      f.peer = "";
      f.delim = null;
      render();
    } else if (what === "peer" || what === "delim") {
      if (what === "peer") f.peer = el.value;
      else f.delim = el.checked;
      render(); // the envelope shown changes
    }
    else if (what === "count") f.count = Math.max(1, Math.min(MAX_COUNT, Math.round(Number(el.value) || 1)));
  });

  document.addEventListener("click", (e) => {
    const b = e.target.closest?.("[data-inj-act]");
    if (!b || !isLive()) return;
    const n = nodeOf(b.getAttribute("data-node"));
    if (!n) return;
    const f = form(n), act = b.getAttribute("data-inj-act");
    if (act === "add" && f.rows.length < MAX_FRAMES) f.rows.push({ kind: "text", value: "" });
    else if (act === "remove" && f.rows.length > 1) f.rows.splice(Number(b.getAttribute("data-i")), 1);
    else if (act === "send-one") return send(n, templateFrames(n), 1);
    else if (act === "send") {
      try {
        send(n, framesOf(n, f).frames, f.count);
      } catch (err) {
        answer = { node: n.id, ok: false, text: err.message };
      }
    }
    render();
  });

  function rowHtml(n, r, i, many) {
    const kindSel = `<select class="inp inj-kind" data-inj="kind" data-node="${esc(n.id)}" data-i="${i}" data-key="inj-kind:${i}" data-testid="inject-kind-${i}" aria-label="${esc(t("inject.kind", { i: i + 1 }))}">
      <option value="text"${r.kind === "text" ? " selected" : ""}>${esc(t("frames.kind.text"))}</option><option value="hex"${r.kind === "hex" ? " selected" : ""}>${esc(t("frames.kind.hex"))}</option></select>`;
    return `<div class="inj-row">${kindSel}<input class="inp mono" data-inj="value" data-node="${esc(n.id)}" data-i="${i}" data-key="inj-value:${i}" data-testid="inject-frame-${i}" spellcheck="false" value="${esc(r.value)}" aria-label="${esc(t("inject.frame", { i: i + 1 }))}" placeholder="${esc(r.kind === "hex" ? "00 ff" : t("inject.empty"))}">
      <button class="icon-btn" data-inj-act="remove" data-node="${esc(n.id)}" data-i="${i}" data-testid="inject-remove-${i}" title="${esc(t("inject.remove"))}" aria-label="${esc(t("inject.remove"))}"${many ? "" : " disabled"}>×</button></div>`;
  }

  return {
    /** Inspector section for a node while a run is live, or "". */
    html(sel) {
      if (!sel || sel.type !== "node" || !isLive()) return "";
      const n = nodeOf(sel.id);
      if (!n || !senders(n).length) return "";
      const f = form(n);
      const type = n.sockets.find((s) => s.name === f.socket)?.type;
      let env = "";
      if (type === "ROUTER") {
        const peers = [...peersOf(n, f.socket)];
        env = `<label class="inj-env">${esc(t("inject.peer"))} <select class="inp" data-inj="peer" data-node="${esc(n.id)}" data-key="inj-peer" data-testid="inject-peer">
          <option value="">${esc(t("inject.peerNone"))}</option>${peers
          .map(([k, p]) => `<option value="${esc(k)}"${k === f.peer ? " selected" : ""}>${esc(isHex(p.frame) ? `0x${p.frame.hex}` : p.frame)} (${esc(p.from)}${p.type === "REQ" || p.type === "REP" ? ` · ${esc(t("inject.withDelim"))}` : ""})</option>`)
          .join("")}</select></label>`;
      } else if (type === "DEALER") {
        env = `<label class="check inj-env"><input type="checkbox" data-inj="delim" data-node="${esc(n.id)}" data-key="inj-delim" data-testid="inject-delim"${delimOn(n, f) ? " checked" : ""}> ${esc(t("inject.delim"))}</label>`;
      }
      let preview = "";
      try {
        const { envelope } = framesOf(n, f);
        if (envelope.length) preview = `<p class="muted inj-envelope" data-testid="inject-envelope">${esc(t("inject.envelope", { frames: envelope.map((x) => (isHex(x) ? `0x${x.hex}` : JSON.stringify(x))).join(" | ") }))}</p>`;
      } catch {
        /* a bad hex row: Send says which */
      }
      const note = answer && answer.node === n.id ? `<p class="inj-answer ${answer.ok ? "ok" : "bad"}" data-testid="inject-answer" role="status">${esc(answer.text)}</p>` : "";
      const one = n.kind === "source" ? `<button class="btn btn-sm" data-inj-act="send-one" data-node="${esc(n.id)}" data-testid="inject-send-one" title="${esc(t("inject.sendOne.title"))}">${esc(t("inject.sendOne"))}</button>` : "";
      return `<h3 class="sec" data-testid="inject-title">${esc(t("inject.title"))}</h3><div class="inject" data-testid="inject">
        <div class="inj-head">${one}<label>${esc(t("inject.socket"))} <select class="inp" data-inj="socket" data-node="${esc(n.id)}" data-key="inj-socket" data-testid="inject-socket">${senders(n)
        .map((s) => `<option value="${esc(s.name)}"${s.name === f.socket ? " selected" : ""}>${esc(s.name)} (${esc(s.type)})</option>`)
        .join("")}</select></label></div>
        ${env}${preview}
        ${f.rows.map((r, i) => rowHtml(n, r, i, f.rows.length > 1)).join("")}
        <div class="inj-foot"><button class="btn btn-sm btn-ghost" data-inj-act="add" data-node="${esc(n.id)}" data-testid="inject-add"${f.rows.length >= MAX_FRAMES ? " disabled" : ""}>${esc(t("inject.add"))}</button>
        <label>× <input class="inp inj-count" type="number" min="1" max="${MAX_COUNT}" value="${f.count}" data-inj="count" data-node="${esc(n.id)}" data-key="inj-count" data-testid="inject-count" aria-label="${esc(t("inject.count"))}"></label>
        <button class="btn btn-sm btn-run" data-inj-act="send" data-node="${esc(n.id)}" data-testid="inject-send">${esc(t("inject.send"))}</button></div>${note}</div>`;
    },
  };
}

function textOfHex(hex) {
  const clean = hex.replace(/\s/g, "");
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) return null;
  const bytes = new Uint8Array(clean.match(/../g)?.map((b) => parseInt(b, 16)) || []);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
