// The learner's progress, kept in this browser only (localStorage, no account): which steps are
// done, the last answer, and the last step opened (the course map's "continue"). Embeds never
// write it (an embedded question must not touch the host's visitor storage).

const KEY = "zpg.lessons.v1";

export function createProgress({ write = true } = {}) {
  let state = { steps: {}, last: null };
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) || "null");
    if (raw && typeof raw === "object" && raw.steps && typeof raw.steps === "object") state = { steps: raw.steps, last: raw.last || null };
  } catch {
    // blocked or corrupt storage: start empty
  }
  const save = () => {
    if (!write) return;
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      // storage full or blocked: progress lasts for this page only
    }
  };
  return {
    get(key) {
      return state.steps[key] || null;
    },
    isDone: (key) => Boolean(state.steps[key]?.done),
    get last() {
      return state.last;
    },
    /** Record an attempt at `key` ("lesson/step"); `done` sticks once true. */
    record(key, { done, answer } = {}) {
      const prev = state.steps[key] || { done: false, tries: 0 };
      state.steps[key] = { done: prev.done || Boolean(done), tries: prev.tries + 1, answer: answer ?? prev.answer ?? null, at: Date.now() };
      save();
    },
    visit(key) {
      state.last = key;
      save();
    },
    reset() {
      state = { steps: {}, last: null };
      save();
    },
  };
}
