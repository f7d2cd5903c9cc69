// The token layer's clock: milliseconds like performance.now(), but standing still while the
// run is paused, so every token freezes where it is (messages still arriving from libzmq's
// queues freeze too). A step lets it run until the tokens of the next message have landed
// (extendStep() pushes that moment on as they launch), then stops it again. No DOM.

export function createTokenClock() {
  let frozenAt = null; // the clock's value while it stands still
  let offset = 0;
  let paused = false;
  let stepUntil = null; // while stepping: the clock runs up to here, then stops again
  const now = () => frozenAt ?? performance.now() - offset;
  function thaw() {
    if (frozenAt === null) return;
    offset = performance.now() - frozenAt;
    frozenAt = null;
  }
  return {
    now,
    /** The run paused (true) or went on (false). */
    setPaused(on) {
      paused = Boolean(on);
      if (!paused) {
        stepUntil = null;
        thaw();
      } else if (stepUntil === null && frozenAt === null) frozenAt = now();
    },
    /** While paused: run for at least `ms` (one short trip, when no message comes). */
    step(ms) {
      if (!paused) return;
      thaw();
      stepUntil = now() + ms;
    },
    /** A token launched during a step, landing at `end`: the step shows it whole. */
    extendStep(end) {
      if (stepUntil !== null) stepUntil = Math.max(stepUntil, end);
    },
    /** The time of this frame: stops the clock where a finished step ends. */
    tick() {
      const t = now();
      if (stepUntil === null || t < stepUntil) return t;
      const end = stepUntil;
      stepUntil = null;
      if (paused) frozenAt = end;
      return end;
    },
    get frozen() {
      return frozenAt !== null;
    },
    get stepping() {
      return stepUntil !== null;
    },
  };
}
