// Records the event stream of the latest run, bounded, so it can be replayed with no backend
// and saved with the topology (app/links/recording.py describes the format). It listens to the
// page's bus: server:hello (libzmq/pyzmq versions), run:started, run:batch, run:stopped.

export const MAX_EVENTS = 20000;

export function createRecorder(bus, { getDoc, getSpeed, maxEvents = MAX_EVENTS } = {}) {
  let versions = { libzmq: "", pyzmq: "" };
  let current = null;
  let last = null;

  bus.on("server:hello", (m) => {
    versions = { libzmq: String(m.libzmq || ""), pyzmq: String(m.pyzmq || "") };
  });
  bus.on("run:started", (m) => {
    if (m && m.replay) return; // a replay is not a run
    if (!versions.libzmq) versions = versionsFromPage();
    current = {
      rec: {
        version: 1, libzmq: versions.libzmq || "unknown", pyzmq: versions.pyzmq || "unknown",
        speed: Math.min(1, Math.max(0.05, Number(getSpeed?.() || 1))), duration_ms: 0, truncated: false,
        started: { ...m }, events: [], stopped: null, recorded_at: new Date().toISOString(),
      },
      topology: JSON.stringify(getDoc?.() ?? null),
    };
  });
  bus.on("run:batch", (m) => {
    if (!current || m?.replay) return;
    const events = current.rec.events;
    for (const ev of m.events || []) {
      if (events.length >= maxEvents) {
        current.rec.truncated = true;
        break;
      }
      events.push(ev);
      current.rec.duration_ms = Math.max(current.rec.duration_ms, Number(ev.t) || 0);
    }
  });
  bus.on("run:stopped", (m) => {
    if (!current || m?.replay) return;
    const { rec, topology } = current;
    current = null;
    rec.stopped = { reason: m?.reason ?? "stopped", totals: m?.totals ?? {} };
    if (!rec.events.length) return;
    last = { rec, topology };
    bus.emit("recording:ready", { recording: rec, doc: JSON.parse(topology) });
  });

  return {
    /** The latest finished recording, or null. */
    get last() {
      return last?.rec || null;
    },
    /** The latest recording if it was made of exactly this topology (as JSON-able data). */
    forDoc(doc) {
      return last && last.topology === JSON.stringify(doc) ? last.rec : null;
    },
    get recording() {
      return Boolean(current);
    },
    adopt(rec, doc) {
      last = { rec, topology: JSON.stringify(doc) };
    },
  };
}

// Attached after the hello went by: the run status pill's title names the versions.
function versionsFromPage() {
  const title = document.querySelector("[data-testid=run-status]")?.title || "";
  return { libzmq: /libzmq ([^,\s]+)/.exec(title)?.[1] || "", pyzmq: /pyzmq ([^,\s]+)/.exec(title)?.[1] || "" };
}
