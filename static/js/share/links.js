// Share links (no DOM): the versioned full-link fragment, short-link and embed addresses, the
// embed options table and the snippets a documentation author pastes. Python twin: app/links.
//
//   full link   /#v=1&t=<lz-string(JSON topology)>     works with no storage
//   short link  /t/<id>                                 id = hash of the canonical topology
//   embed       /embed/<id>?opts   or   /embed?opts#v=1&t=...
//
// `v` is the link format version; links written before it existed have none (version 0) and
// are upgraded step by step by UPGRADES, so every old link keeps opening.

import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "../../vendor/lz-string.mjs";

export const LINK_VERSION = 1;

// version n state → version n + 1 state
const UPGRADES = {
  0: (state) => ({ ...state, v: 1 }), // bare "#t=" carried the same payload, only unversioned
};

function params(hash) {
  const out = new Map();
  for (const part of String(hash || "").replace(/^#/, "").split("&")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i), part.slice(i + 1));
  }
  return out;
}

/** The fragment (with "#") for a topology, in the current link format. */
export function encodeState(doc) {
  return `#v=${LINK_VERSION}&t=${compressToEncodedURIComponent(JSON.stringify(doc))}`;
}

/** {v, doc} from a fragment of any known version, or null when it holds no topology. */
export function decodeState(hash) {
  const p = params(hash);
  if (!p.has("t")) return null;
  const v = p.has("v") ? Number(p.get("v")) : 0;
  if (!Number.isInteger(v) || v < 0 || v > LINK_VERSION) return null;
  let doc;
  try {
    const json = decompressFromEncodedURIComponent(decodeURIComponent(p.get("t")));
    doc = json ? JSON.parse(json) : null;
  } catch {
    return null;
  }
  if (!doc || typeof doc !== "object" || !Array.isArray(doc.nodes)) return null;
  let state = { v, doc };
  while (state.v < LINK_VERSION) state = UPGRADES[state.v](state);
  return state;
}

/** Everything but the topology in a fragment (embed options may ride along: #v=1&t=...&speed=0.5). */
export function fragmentOptions(hash) {
  const p = params(hash);
  p.delete("t");
  p.delete("v");
  const out = new Map();
  for (const [k, v] of p) {
    try {
      out.set(k, decodeURIComponent(v.replace(/\+/g, " ")));
    } catch {
      // a malformed %-escape: ignore that option
    }
  }
  return out;
}

// ---- embed options: one declarative table (tensorflow-playground style) ---------------------
// name: [type, default, help]; "hide" takes a comma list of HIDEABLE parts.
export const EMBED_OPTIONS = {
  autoplay: ["bool", false, "start at once instead of waiting for a click (opens the websocket)"],
  paused: ["bool", false, "start paused: the run (or replay) is ready, the reader presses Resume"],
  speed: ["number", 1, "run speed, 0.05..1 (0.25 = four times slower than the document says)"],
  editable: ["bool", false, "let the reader move nodes and rewire (read-only by default)"],
  theme: ["choice", "light", "light, dark or auto (follows the reader's system)"],
  lang: ["lang", "", "en or ko: the embed's language (default: the reader's browser)"],
  hide: ["list", [], "parts to hide: controls, speed, title, open, counters, status"],
  live: ["bool", false, "run live even when the saved topology has a recording"],
  origin: ["list", [], "origins allowed to drive the embed with postMessage (or *)"],
  name: ["string", "", "a name echoed in every postMessage event (tell embeds apart)"],
};
export const HIDEABLE = ["controls", "speed", "title", "open", "counters", "status"];

/** Parse embed options from decoded [name, value] pairs: unknown names and bad values are ignored. */
export function parseEmbedOptions(...sources) {
  const out = {};
  for (const [name, [type, def]] of Object.entries(EMBED_OPTIONS)) out[name] = Array.isArray(def) ? [...def] : def;
  for (const src of sources) {
    for (const [name, raw] of src) {
      const spec = EMBED_OPTIONS[name];
      if (!spec) continue;
      const value = String(raw); // already decoded (URLSearchParams, fragmentOptions)
      if (spec[0] === "bool") out[name] = !/^(0|false|no|off)$/i.test(value);
      else if (spec[0] === "number") {
        const n = Number(value);
        if (Number.isFinite(n)) out[name] = Math.min(1, Math.max(0.05, n));
      } else if (spec[0] === "choice") {
        if (["light", "dark", "auto"].includes(value)) out[name] = value;
      } else if (spec[0] === "lang") {
        if (["en", "ko"].includes(value)) out[name] = value;
      } else if (spec[0] === "list") {
        out[name] = [...out[name], ...value.split(",").map((s) => s.trim()).filter(Boolean)];
      } else out[name] = value.slice(0, 80);
    }
  }
  out.hide = out.hide.filter((h) => HIDEABLE.includes(h));
  return out;
}

/** The query string for non-default embed options ("" when all are defaults). */
export function embedQuery(opts) {
  const q = [];
  for (const [name, [type, def]] of Object.entries(EMBED_OPTIONS)) {
    const v = opts[name];
    if (v === undefined) continue;
    if (type === "list") {
      if (v.length) q.push(`${name}=${v.map(encodeURIComponent).join(",")}`);
    } else if (v !== def) q.push(`${name}=${type === "bool" ? 1 : encodeURIComponent(v)}`);
  }
  return q.length ? `?${q.join("&")}` : "";
}

// ---- addresses and snippets -------------------------------------------------------------------
export const shortUrl = (origin, id) => `${origin}/t/${id}`;
export const fullUrl = (origin, doc) => `${origin}/${encodeState(doc)}`;
export const badgeUrl = (origin, id) => `${origin}/badge/${id}.svg`;

/** The embed address: a saved id, or the full state in the fragment. */
export function embedUrl(origin, { id = null, doc = null, opts = {} } = {}) {
  const q = embedQuery(opts);
  return id ? `${origin}/embed/${id}${q}` : `${origin}/embed${q}${encodeState(doc)}`;
}

const attr = (s) => String(s).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

/** The iframe a documentation author pastes. */
export function iframeSnippet(src, { title = "ZeroMQ topology", width = "100%", height = 420 } = {}) {
  return `<iframe src="${attr(src)}" title="${attr(title)}" width="${width}" height="${height}" loading="lazy" style="border:1px solid #e3e6ec;border-radius:8px" allow="clipboard-write"></iframe>`;
}

/** A markdown picture of the topology that links to the live one (Mermaid-Live style). */
export function markdownBadge(origin, id, title = "ZeroMQ topology") {
  const alt = String(title).replace(/[\[\]]/g, "");
  return `[![${alt}](${badgeUrl(origin, id)})](${shortUrl(origin, id)})`;
}
