// The server's description of what a topology may contain (GET /api/meta), normalised into
// one shape the editor uses. The server is the source of truth; FALLBACK is only a small
// safety net so the page still draws when /api/meta is briefly unavailable.
//
// Normalised shape:
//   { socketTypes: ["REQ", ...], pairs: {REQ: ["REP", "ROUTER"], ...},
//     options: [{name, type, min, max, appliesTo: [types] | null, label, default}],
//     kinds: {source: {name, label, description, fields: [Field], sockets: [{name,type,mode}]}},
//     kindOrder: ["source", ...], limits: {...} }
//   Field: {name, label, type, min, max, choices, default, socket: bool, optional: bool,
//           help, socketTypes}
import { pick } from "../i18n.js";

const FALLBACK = {
  socket_types: ["REQ", "REP", "DEALER", "ROUTER", "PUB", "SUB", "XPUB", "XSUB", "PUSH", "PULL", "PAIR"],
  pairs: {
    REQ: ["REP", "ROUTER"], REP: ["REQ", "DEALER"], DEALER: ["ROUTER", "REP", "DEALER"],
    ROUTER: ["DEALER", "REQ", "ROUTER"], PUB: ["SUB", "XSUB"], SUB: ["PUB", "XPUB"],
    XPUB: ["SUB", "XSUB"], XSUB: ["PUB", "XPUB"], PUSH: ["PULL"], PULL: ["PUSH"], PAIR: ["PAIR"],
  },
  options: {
    sndhwm: { type: "int", min: 0, max: 100000 },
    rcvhwm: { type: "int", min: 0, max: 100000 },
    subscribe: { type: "list", applies_to: ["SUB"] },
    routing_id: { type: "str" },
  },
  kinds: {
    source: { fields: { socket: { type: "socket" }, interval_ms: { type: "int", min: 0, max: 600000, default: 500 },
      count: { type: "int", min: 0, max: 1000000, default: 0 }, frames: { type: "list", default: ["msg {n}"] },
      topics: { type: "list", default: [] } } },
    replier: { fields: { socket: { type: "socket" }, transform: { type: "choice", choices: ["echo", "upper", "fixed", "prefix"], default: "echo" },
      text: { type: "str", default: "" }, delay_ms: { type: "int", min: 0, max: 600000, default: 0 } } },
    worker: { fields: { input: { type: "socket" }, output: { type: "socket", optional: true },
      work_ms: { type: "int", min: 0, max: 600000, default: 0 },
      transform: { type: "choice", choices: ["echo", "upper", "fixed", "prefix"], default: "echo" }, text: { type: "str", default: "" } } },
    sink: { fields: { socket: { type: "socket" } } },
  },
};

// Default sockets for a new node, per kind (used when the server's meta names none).
const DEFAULT_SOCKETS = {
  source: [{ name: "out", type: "PUSH", mode: "bind" }],
  replier: [{ name: "in", type: "REP", mode: "bind" }],
  worker: [{ name: "in", type: "PULL", mode: "connect" }, { name: "out", type: "PUSH", mode: "connect" }],
  sink: [{ name: "in", type: "PULL", mode: "bind" }],
};

const KIND_BLURBS = {
  source: "Sends on a timer",
  replier: "Answers each request",
  worker: "Works on what it gets",
  sink: "Receives and counts",
};

const humanize = (s) => String(s).replace(/_ms$/, " (ms)").replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

// Accept either {name: spec} objects or [{name, ...}] lists.
function entries(obj) {
  if (!obj) return [];
  if (Array.isArray(obj)) return obj.map((x) => [x.name ?? x.id ?? x.key, x]);
  return Object.entries(obj);
}

function normType(t, spec) {
  const s = String(t || "").toLowerCase();
  if (s === "bool" || s === "boolean") return "bool";
  if (spec.socket || s === "socket" || s === "socket_ref" || s === "socketref") return "socket";
  if (spec.choices || spec.enum || s === "choice" || s === "enum") return "choice";
  if (["int", "integer"].includes(s)) return "int";
  if (["float", "number"].includes(s)) return "number";
  if (["bool", "boolean"].includes(s)) return "bool";
  if (s.startsWith("list") || s === "array" || s === "templates" || s === "strings") return "list";
  return "str";
}

// A text the server gives in both languages ({en, ko} under spec.text) is read in the page's
// current language each time (a getter), so a language switch needs no new /api/meta.
function localized(obj, key, en, decorate = (x) => x) {
  const both = obj[`__${key}`];
  if (!both) return obj;
  Object.defineProperty(obj, key, { get: () => decorate(pick(both) || en), enumerable: true, configurable: true });
  return obj;
}

function normField([name, spec]) {
  spec = spec || {};
  const type = normType(spec.type, spec);
  const label = spec.label || humanize(name);
  // The unit in the page's language too ("requests" / "요청"), read when the label is.
  const unit = () => (spec.text?.unit ? pick(spec.text.unit) || spec.unit : spec.unit);
  const withUnit = (l) => (unit() && !l.includes(`(${unit()})`) ? `${l} (${unit()})` : l);
  const f = normFieldPlain(name, spec, type, withUnit(label));
  f.__label = spec.text?.label || null;
  f.__help = spec.text?.help || null;
  localized(f, "label", label, withUnit);
  return localized(f, "help", f.help);
}

function normFieldPlain(name, spec, type, label) {
  return {
    name,
    label,
    unit: spec.unit || null,
    type,
    min: spec.min ?? spec.minimum ?? null,
    max: spec.max ?? spec.maximum ?? null,
    choices: spec.choices || spec.enum || null,
    default: spec.default,
    socket: type === "socket",
    optional: Boolean(spec.optional || spec.required === false || spec.nullable),
    help: spec.help || spec.description || "",
    socketTypes: spec.socket_types || spec.types || null,
    maxItems: spec.max_items ?? spec.max_len ?? null,
  };
}

export function normalizeMeta(raw) {
  raw = raw && typeof raw === "object" ? raw : {};
  const fb = FALLBACK;
  let socketTypes = raw.socket_types || raw.socketTypes || raw.types || fb.socket_types;
  if (!Array.isArray(socketTypes)) socketTypes = Object.keys(socketTypes);
  const pairs = raw.pairs || raw.compatible || fb.pairs;

  const options = entries(raw.options || raw.socket_options || fb.options).map(([name, spec]) => {
    const f = normField([name, spec || {}]);
    const applies = spec?.applies_to || spec?.appliesTo || spec?.types || null;
    f.appliesTo = Array.isArray(applies) && applies.length ? applies : null; // not a spread: it would freeze f's language getters
    return f;
  });
  options.sort((a, b) => rank(OPTION_ORDER, a.name) - rank(OPTION_ORDER, b.name) || a.name.localeCompare(b.name));

  const kinds = {};
  const kindOrder = [];
  for (const [name, spec0] of entries(raw.kinds || raw.node_kinds || fb.kinds)) {
    const spec = spec0 || {};
    const fields = entries(spec.fields || spec.behaviour || spec.behavior || {}).map(normField);
    fields.sort((a, b) => (b.socket - a.socket) || rank(FIELD_ORDER, a.name) - rank(FIELD_ORDER, b.name));
    const sockets = spec.template?.sockets || spec.default_sockets || DEFAULT_SOCKETS[name] || [{ name: "s", type: "PAIR", mode: "bind" }];
    kinds[name] = {
      name,
      __label: spec.text?.label || null,
      label: spec.label?.en || spec.label || humanize(name),
      // A short blurb for the palette; the server's full help for tooltips and the inspector.
      __description: spec.text?.help ? { en: firstSentence(spec.text.help.en), ko: firstSentence(spec.text.help.ko) } : null,
      description: KIND_BLURBS[name] || firstSentence(spec.description?.en || spec.description || spec.help || ""),
      help: spec.description?.en || spec.description || spec.help || KIND_BLURBS[name] || "",
      fields,
      sockets: sockets.map((s) => ({ name: s.name, type: s.type, mode: s.mode, options: s.options || {} })),
      behaviour: spec.template?.behaviour || null,
      socketTypes: spec.socket_types || null,
    };
    localized(kinds[name], "label", kinds[name].label);
    kinds[name].__help = spec.text?.help || null;
    localized(kinds[name], "help", kinds[name].help);
    if (!KIND_BLURBS[name]) localized(kinds[name], "description", kinds[name].description);
    kindOrder.push(name);
  }
  const transports = raw.transports || ["ipc", "tcp", "inproc"];
  // JSON objects lose their order on the way (Flask sorts keys): show kinds in flow order.
  const PREFERRED = ["source", "worker", "replier", "sink"];
  kindOrder.sort((a, b) => rank(PREFERRED, a) - rank(PREFERRED, b) || a.localeCompare(b));
  const ORDER = FALLBACK.socket_types;
  socketTypes = [...socketTypes].sort((a, b) => rank(ORDER, a) - rank(ORDER, b));
  return { socketTypes, pairs, options, kinds, kindOrder, transports, limits: raw.limits || {}, raw };
}

// Display order of behaviour fields and socket options (JSON from the server arrives sorted).
const FIELD_ORDER = ["socket", "input", "output", "interval_ms", "count", "frames", "topics", "await_reply", "start_delay_ms",
  "work_ms", "transform", "text", "delay_ms"];
const OPTION_ORDER = ["subscribe", "sndhwm", "rcvhwm", "routing_id", "expose", "linger", "immediate", "conflate"];

const firstSentence = (s) => String(s).split(/(?<=\.)\s/)[0];

const rank = (list, x) => (list.includes(x) ? list.indexOf(x) : list.length);

export const fallbackMeta = () => normalizeMeta(FALLBACK);

// Which family a socket type belongs to (for colours and for which side its port sits on).
export function family(type) {
  if (["REQ", "REP", "DEALER", "ROUTER"].includes(type)) return "reqrep";
  if (["PUB", "SUB", "XPUB", "XSUB"].includes(type)) return "pubsub";
  if (["PUSH", "PULL"].includes(type)) return "pipeline";
  return "pair";
}

// Ports of types that mostly receive sit on the left of a node, the others on the right.
const LEFT = new Set(["REP", "ROUTER", "SUB", "XSUB", "PULL"]);
export const portSide = (type) => (LEFT.has(type) ? "left" : "right");

// A sensible mode for a socket type newly added to a node.
const BINDERS = new Set(["REP", "ROUTER", "PUB", "XPUB", "XSUB", "PUSH", "PAIR"]);
export const defaultMode = (type) => (BINDERS.has(type) ? "bind" : "connect");
