// The palette: node kinds and socket types from /api/meta. Drag a node kind onto the canvas
// to create a node there; drag a socket type onto a node to add a socket to it. A plain click
// does the same at the centre of the view / on the selected node.

import { family } from "../model/meta.js";
import { addNode, addSocket, findNode, retypeSocket } from "../model/topology.js";
import { NODE_W } from "./geometry.js";
import { iconSvg, kindIcon } from "./icons.js";
import { has, onLangChange, t } from "../i18n.js";

const FAMILIES = ["reqrep", "pubsub", "pipeline", "pair"]; // headings: i18n "pal.fam.<family>"

// How the palette groups node kinds (display only: the kinds themselves come from /api/meta).
// Kinds not named here are listed under "More". Group titles are i18n keys.
const KIND_GROUPS = [
  ["pal.group.basics", ["source", "worker", "replier", "sink"]],
  ["pal.group.reliable", ["lazy_pirate", "lb_broker", "lb_worker", "pp_queue", "pp_worker", "mdp_client", "mdp_broker",
    "mdp_worker", "gateway", "bstar_client", "bstar_server"]],
  ["pal.group.pipesub", ["producer", "task_worker", "collector", "proxy", "sync_pub", "sync_sub", "monitor"]],
];

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

export function createPalette(host, ctx, canvas) {
  const { store, bus } = ctx;
  // The items live in their own box, so what sits above them (palette-search.js) stays put.
  const body = document.createElement("div");
  body.className = "pal-body";
  host.appendChild(body);

  function kindButton(k, compact) {
    const spec = ctx.meta().kinds[k];
    const title = t("pal.kind.title", { help: spec.help || spec.description });
    // The basics' one-line blurbs are the page's own words, so they follow the language;
    // the others' texts come from /api/meta in both languages (model/meta.js picks one).
    const blurb = has(`kind.${k}.blurb`) ? t(`kind.${k}.blurb`) : spec.description;
    return compact
      ? `<button class="pal-item pal-kind compact kind-${esc(k)}" data-kind="${esc(k)}" data-testid="palette-kind-${esc(k)}" title="${esc(title)}">
          <span class="pal-icon">${iconSvg(kindIcon(k))}</span><span class="pal-text"><b>${esc(spec.label)}</b></span></button>`
      : `<button class="pal-item pal-kind kind-${esc(k)}" data-kind="${esc(k)}" data-testid="palette-kind-${esc(k)}" title="${esc(title)}">
          <span class="pal-icon">${iconSvg(kindIcon(k))}</span><span class="pal-text"><b>${esc(spec.label)}</b><small>${esc(blurb)}</small></span></button>`;
  }

  function render() {
    const meta = ctx.meta();
    // A re-render (language switch) keeps the pattern groups the user folded.
    const folded = new Set([...host.querySelectorAll("details.pal-patterns:not([open])")].map((d) => d.getAttribute("data-group")));
    // Basics as cards; the ready-made pattern kinds as compact rows, grouped.
    const placed = new Set();
    const groups = KIND_GROUPS.map(([title, names]) => {
      const ks = names.filter((k) => meta.kinds[k] && !placed.has(k));
      ks.forEach((k) => placed.add(k));
      return [title, ks];
    });
    const rest = meta.kindOrder.filter((k) => !placed.has(k));
    if (rest.length) groups.push(["pal.group.more", rest]);
    const [basics, ...patterns] = groups;
    const kinds = basics[1].map((k) => kindButton(k, false)).join("");
    const patternHtml = patterns
      .filter(([, ks]) => ks.length)
      .map(([title, ks]) => `<details class="pal-patterns" data-group="${esc(title)}"${folded.has(title) ? "" : " open"}><summary class="pal-sub">${esc(t(title))}</summary><div class="pal-kinds compact">${ks.map((k) => kindButton(k, true)).join("")}</div></details>`)
      .join("");
    const socketGroups = FAMILIES.map((fam) => {
      const types = meta.socketTypes.filter((st) => family(st) === fam);
      if (!types.length) return "";
      const items = types
        .map((st) => `<button class="pal-item pal-sock fam-${fam}" data-type="${esc(st)}" data-testid="palette-socket-${esc(st)}" title="${esc(t("pal.sock.title", { type: st, peers: (meta.pairs[st] || []).join(", ") }))}">${esc(st)}</button>`)
        .join("");
      return `<div class="pal-group"><div class="pal-sub">${esc(t(`pal.fam.${fam}`))}</div><div class="pal-socks">${items}</div></div>`;
    }).join("");
    body.innerHTML = `<h2 class="panel-title" data-testid="palette-nodes-title">${esc(t("pal.nodes"))}</h2><div class="pal-kinds">${kinds}</div>
      <h2 class="panel-title">${esc(t("pal.sockets"))} <span class="hint">${esc(t("pal.sockets.hint"))}</span></h2>${socketGroups}
      <div class="pal-legend"><span><i class="dot bind"></i>${esc(t("pal.bind"))}</span><span><i class="dot connect"></i>${esc(t("pal.connect"))}</span></div>
      ${patternHtml ? `<h2 class="panel-title pal-patterns-title">${esc(t("pal.patterns"))} <span class="hint">${esc(t("pal.patterns.hint"))}</span></h2>${patternHtml}` : ""}`;
    host.dispatchEvent(new Event("palette:rendered"));
  }

  let ghost = null;
  let dragItem = null;
  let startX = 0, startY = 0, dragging = false;

  function makeGhost(item) {
    const g = item.cloneNode(true);
    g.classList.add("pal-ghost");
    g.removeAttribute("data-testid");
    document.body.appendChild(g);
    return g;
  }

  function drop(item, clientX, clientY, viaClick) {
    const kind = item.getAttribute("data-kind");
    const type = item.getAttribute("data-type");
    if (kind) {
      let p;
      if (viaClick || !canvas.containsClient(clientX, clientY)) {
        if (!viaClick) return;
        const c = canvas.center();
        const k = store.doc.nodes.length % 5;
        p = [c[0] - NODE_W / 2 + k * 24, c[1] - 40 + k * 24];
      } else {
        const c = canvas.toCanvas(clientX, clientY);
        p = [c[0] - NODE_W / 2, c[1] - 17];
      }
      const node = store.edit(`add ${kind}`, (doc) => addNode(doc, ctx.meta(), kind, p[0], p[1]));
      if (node) ctx.select({ type: "node", id: node.id });
      return node;
    }
    if (type) {
      const sel = ctx.selection();
      const nodeId = viaClick ? (sel?.type === "node" ? sel.id : null) : canvas.nodeAtClient(clientX, clientY);
      if (!nodeId || !findNode(store.doc, nodeId)) {
        bus.emit("toast:show", { kind: "info", text: t("pal.dropOnNode", { type }), sticky: 3500 });
        return;
      }
      if (findNode(store.doc, nodeId).sockets.length >= 8) {
        bus.emit("toast:show", { kind: "error", text: t("pal.maxSockets"), sticky: 3500 });
        return;
      }
      dropSocket(nodeId, type);
      ctx.select({ type: "node", id: nodeId });
    }
  }

  // A socket chip dropped on a node. A node whose behaviour uses one socket (a Source, a Sink)
  // and has only that one, unlinked, gets it retyped: a second socket would be ignored by the
  // behaviour. Otherwise the socket is added, and the reader is told when the behaviour does
  // not use it (the Problems list flags it too).
  function dropSocket(nodeId, type) {
    const node = findNode(store.doc, nodeId);
    const fields = (ctx.meta().kinds[node.kind]?.fields || []).filter((f) => f.socket);
    const only = node.sockets.length === 1 ? node.sockets[0] : null;
    const linked = only && store.doc.links.some((l) => [l.connect, l.bind].some((e) => e.node === nodeId && e.socket === only.name));
    const fits = fields.length === 1 && (!fields[0].socketTypes || fields[0].socketTypes.includes(type));
    if (fits && only && !linked && node.behaviour[fields[0].name] === only.name && only.type !== type) {
      const was = only.type;
      store.edit(`retype ${only.name} to ${type}`, (doc) => retypeSocket(doc, nodeId, only.name, type));
      bus.emit("toast:show", { kind: "info", sticky: 5000, text: t("pal.retyped", { socket: `${nodeId}.${only.name}`, type, was, kind: node.kind }) });
      return;
    }
    const sock = store.edit(`add ${type} socket`, (doc) => addSocket(doc, nodeId, type));
    const after = findNode(store.doc, nodeId);
    const used = fields.map((f) => after.behaviour[f.name]).filter(Boolean);
    if (sock && fields.length && !used.includes(sock.name)) {
      bus.emit("toast:show", { kind: "info", sticky: 6000, text: t("pal.addedUnused", { socket: `${nodeId}.${sock.name}`, kind: node.kind, used: used.join(", ") }) });
    }
  }

  host.addEventListener("pointerdown", (e) => {
    const item = e.target.closest(".pal-item");
    if (!item || e.button !== 0) return;
    e.preventDefault();
    dragItem = item;
    dragging = false;
    startX = e.clientX;
    startY = e.clientY;
    window.addEventListener("pointermove", onMove);
    window.addEventListener("pointerup", onUp, { once: true });
  });

  function onMove(e) {
    if (!dragItem) return;
    if (!dragging && Math.hypot(e.clientX - startX, e.clientY - startY) > 4) {
      dragging = true;
      ghost = makeGhost(dragItem);
      document.body.classList.add("is-dragging");
    }
    if (ghost) {
      ghost.style.transform = `translate(${e.clientX + 8}px, ${e.clientY + 8}px)`;
      const overNode = dragItem.dataset.type && canvas.nodeAtClient(e.clientX, e.clientY);
      canvas.layers.nodes.selectAll("g.node").classed("drop-target", function () {
        return this.getAttribute("data-node") === overNode;
      });
    }
  }

  function onUp(e) {
    window.removeEventListener("pointermove", onMove);
    const item = dragItem;
    dragItem = null;
    if (ghost) ghost.remove();
    ghost = null;
    document.body.classList.remove("is-dragging");
    canvas.layers.nodes.selectAll("g.node").classed("drop-target", false);
    if (!item) return;
    drop(item, e.clientX, e.clientY, !dragging);
  }

  // Enter or Space on a focused item (a click with no pointer: detail 0) adds it as a click
  // does, and a new node takes the focus so the arrow keys move it at once.
  function addByKeyboard(item) {
    const node = drop(item, 0, 0, true);
    if (node?.id) {
      bus.emit("canvas:focus", { type: "node", id: node.id });
      bus.emit("a11y:announce", { text: t("kb.added", { id: node.id }) });
    }
    return node;
  }
  host.addEventListener("click", (e) => {
    const item = e.target.closest(".pal-item");
    if (!item || e.detail !== 0) return;
    addByKeyboard(item);
  });

  onLangChange(() => render());

  return { render, addByKeyboard };
}
