// The lesson predicate vocabulary, evaluated over a run's events in the page. The twin of
// app/lessons/predicates.py (docs/lessons.md); tests/browser/test_lessons.py feeds both the same
// recorded runs and every predicate of the course and requires identical results. No DOM.
//
//   match       {"ev": "delivered", "to_node": "w1", "frame": {"index": 0, "prefix": "task"}}
//   expression  literal | {"count": m} | {"first"|"last": m, "field": F} | {"distinct": m, "field": F}
//               | {"per": m, "field": F, "agg": "min"|"max", "over": [values]}
//   condition   {"cmp": [expr, op, expr]} | {"all": [...]} | {"any": [...]} | {"not": cond}

const EXACT = ["ev", "node", "socket", "link", "from", "to", "state", "error"];

/** Socket types ("node.socket" → "PUB") and node kinds of a topology. */
export function topoIndex(doc) {
  const types = new Map();
  const kinds = new Map();
  for (const node of doc?.nodes || []) {
    kinds.set(node.id, node.kind);
    for (const s of node.sockets || []) types.set(`${node.id}.${s.name}`, s.type);
  }
  return { types, kinds };
}

const nodeOf = (key) => (typeof key === "string" ? key.split(".")[0] : null);
const frameText = (f) => (f && typeof f === "object" ? `hex:${f.hex ?? ""}` : typeof f === "string" ? f : null);

/** The value of field `name` of an event (null when it has none). */
export function field(ev, name) {
  const frames = Array.isArray(ev.frames) ? ev.frames : null;
  if (name === "from_node") return nodeOf(ev.from);
  if (name === "to_node") return nodeOf(ev.to);
  if (name === "nframes") return frames ? frames.length : null;
  if (name.startsWith("frame:")) {
    const raw = name.slice(6);
    if (!/^-?\d+$/.test(raw.trim())) return null;
    const i = Number(raw);
    if (!frames || i < -frames.length || i >= frames.length) return null;
    return frameText(frames[i < 0 ? frames.length + i : i]);
  }
  const v = ev[name];
  return ["string", "number", "boolean"].includes(typeof v) ? v : null;
}

function frameOk(ev, spec) {
  const text = field(ev, `frame:${spec.index ?? 0}`);
  if (text === null) return false;
  if ("equals" in spec) return text === spec.equals;
  if ("prefix" in spec) return text.startsWith(spec.prefix);
  if ("contains" in spec) return text.includes(spec.contains);
  return true;
}

/** Whether event `ev` is selected by match `m`. */
export function matches(ev, m, topo) {
  for (const k of EXACT) if (k in m && ev[k] !== m[k]) return false;
  if ("from_node" in m && field(ev, "from_node") !== m.from_node) return false;
  if ("to_node" in m && field(ev, "to_node") !== m.to_node) return false;
  if ("to_type" in m && topo.types.get(ev.to) !== m.to_type) return false;
  if ("from_type" in m && topo.types.get(ev.from) !== m.from_type) return false;
  if ("socket_type" in m && topo.types.get(`${ev.node}.${ev.socket}`) !== m.socket_type) return false;
  if ("node_kind" in m && topo.kinds.get(ev.node) !== m.node_kind) return false;
  if ("to_kind" in m && topo.kinds.get(field(ev, "to_node")) !== m.to_kind) return false;
  if ("frame" in m && !frameOk(ev, m.frame)) return false;
  if ("frames" in m) {
    if (!Array.isArray(ev.frames) || ev.frames.length !== m.frames.length) return false;
    if (ev.frames.some((f, i) => frameText(f) !== m.frames[i])) return false;
  }
  if ("nframes" in m && field(ev, "nframes") !== m.nframes) return false;
  if ("detail" in m && !String(ev.detail ?? "").includes(m.detail)) return false;
  return true;
}

const isNum = (x) => typeof x === "number";

/** `a op b`; an ordering against a missing value or across types is false (as in Python). */
export function compare(a, op, b) {
  if (op === "==") return same(a, b);
  if (op === "!=") return !same(a, b);
  const ok = (isNum(a) && isNum(b)) || (typeof a === "string" && typeof b === "string");
  if (!ok) return false;
  if (typeof a === "string") {
    // Python compares str by code point; JS < compares UTF-16 units: the same for the BMP
    const c = a < b ? -1 : a > b ? 1 : 0;
    return { "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0 }[op];
  }
  return { "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b }[op];
}

// Python's == : null only equals null; numbers by value; a bool is not equal to a number here
// because no lesson compares them (true == 1 in Python is avoided by the schema's literals).
const same = (a, b) => (a === undefined ? null : a) === (b === undefined ? null : b);

/** Expressions and conditions over one run's events (the list grows as the run goes). */
export function createEvaluator(doc, events = []) {
  const topo = topoIndex(doc);
  const all = [...events];
  const select = (m) => all.filter((e) => matches(e, m, topo));

  function value(expr) {
    if (expr === null || typeof expr !== "object") return expr ?? null;
    if ("count" in expr) return select(expr.count).length;
    if ("first" in expr || "last" in expr) {
      const found = select(expr.first || expr.last);
      if (!found.length) return null;
      return field("first" in expr ? found[0] : found[found.length - 1], expr.field);
    }
    if ("distinct" in expr) {
      const seen = new Set(select(expr.distinct).map((e) => field(e, expr.field)));
      seen.delete(null);
      return seen.size;
    }
    if ("per" in expr) {
      const counts = new Map((expr.over || []).map((v) => [v, 0]));
      for (const e of select(expr.per)) {
        const v = field(e, expr.field);
        if (v !== null && (!expr.over || counts.has(v))) counts.set(v, (counts.get(v) || 0) + 1);
      }
      if (!counts.size) return 0;
      const list = [...counts.values()];
      return expr.agg === "min" ? Math.min(...list) : Math.max(...list);
    }
    throw new Error(`unknown expression ${Object.keys(expr).sort().join(",")}`);
  }

  function evidence(expr) {
    if (expr === null || typeof expr !== "object") return [];
    for (const k of ["count", "distinct", "per"]) if (k in expr) return select(expr[k]);
    const found = select(expr.first || expr.last || {});
    if (!found.length) return [];
    return ["first" in expr ? found[0] : found[found.length - 1]];
  }

  function holds(cond) {
    if ("all" in cond) return cond.all.every(holds);
    if ("any" in cond) return cond.any.some(holds);
    if ("not" in cond) return !holds(cond.not);
    const [a, op, b] = cond.cmp;
    return compare(value(a), op, value(b));
  }

  return {
    add(batch) {
      for (const e of batch) all.push(e);
    },
    get events() {
      return all;
    },
    select,
    value,
    evidence,
    holds,
  };
}

/** {items: {id: bool}, passed} for a build/fix goal: passed when every item holds at once. */
export function goalState(ev, goal) {
  const items = {};
  for (const item of goal) items[item.id] = ev.holds(item.test);
  const vals = Object.values(items);
  return { items, passed: vals.length > 0 && vals.every(Boolean) };
}

/** The run's own answer to a predict question. */
export function judge(ev, question) {
  const settled = question.settle ? ev.holds(question.settle) : false;
  if (question.kind === "choice") return { settled, right: question.options.filter((o) => ev.holds(o.when)).map((o) => o.id) };
  return { settled, answer: ev.value(question.answer) };
}

/** Whether the learner's answer matches the run (null: the run shows none of the options). */
export function verdict(judged, question, answer) {
  if (question.kind === "choice") return judged.right.length ? judged.right.includes(answer) : null;
  if (judged.answer === null || judged.answer === undefined) return null;
  const a = Number(answer);
  const b = Number(judged.answer);
  if (answer === null || answer === "" || Number.isNaN(a) || Number.isNaN(b)) return false;
  return a === b;
}
