// Replays a recording with no backend: a virtual clock over the recorded events, with play,
// pause, step (to the next message) and seek. It only calls back; the caller turns those into
// its page's bus events (run:started / run:batch / run:stopped), exactly as a live run would.
//
//   onReset(started)        back to the start: clear tokens, counters, status
//   onBatch(events, quiet)  events to show; quiet = a seek: every event up to there, for the log,
//                           the sequence chart and the counters, but no tokens
//   onEnd(stopped)          the recording is over (final totals)
//   onTick({t, duration, playing})

const MESSAGE = new Set(["sent", "delivered", "filtered", "dropped"]);
const TICK_MS = 50; // events are released in 50 ms slices, like the server's batches

export function createReplay(rec, { onReset, onBatch, onEnd, onTick } = {}) {
  const events = Array.isArray(rec?.events) ? rec.events : [];
  const duration = Math.max(Number(rec?.duration_ms) || 0, events.length ? Number(events[events.length - 1].t) || 0 : 0);
  let pos = 0; // next event to release
  let t = 0; // virtual ms
  let rate = 1;
  let playing = false;
  let ended = false;
  let raf = 0;
  let lastNow = 0;
  let carry = 0;

  const tick = () => onTick?.({ t, duration, playing, ended });

  function release(upTo, quiet = false) {
    const batch = [];
    while (pos < events.length && Number(events[pos].t) <= upTo) {
      batch.push(events[pos++]);
    }
    if (batch.length) onBatch?.(batch, quiet);
  }

  function finish() {
    if (ended) return;
    ended = true;
    playing = false;
    t = duration;
    onEnd?.(rec.stopped || { reason: "end of recording", totals: {} });
    tick();
  }

  function frame(now) {
    raf = 0;
    if (!playing) return;
    carry += (now - lastNow) * rate;
    lastNow = now;
    if (carry >= TICK_MS || pos >= events.length) {
      t = Math.min(duration, t + carry);
      carry = 0;
      release(t);
      tick();
    }
    if (pos >= events.length && t >= duration) return finish();
    raf = requestAnimationFrame(frame);
  }

  function reset() {
    cancelAnimationFrame(raf);
    raf = 0;
    pos = 0;
    t = 0;
    carry = 0;
    ended = false;
    onReset?.(rec.started || {});
  }

  const api = {
    get duration() {
      return duration;
    },
    get time() {
      return t;
    },
    get playing() {
      return playing;
    },
    get ended() {
      return ended;
    },
    get size() {
      return events.length;
    },
    /** Start (or go on) playing; from the start when it had ended. */
    play() {
      if (ended || (pos === 0 && t === 0)) reset();
      playing = true;
      lastNow = performance.now();
      if (!raf) raf = requestAnimationFrame(frame);
      tick();
    },
    pause() {
      playing = false;
      cancelAnimationFrame(raf);
      raf = 0;
      tick();
    },
    /** Paused: release everything up to and including the next message event. */
    step() {
      api.pause();
      if (ended) reset();
      if (pos === 0 && t === 0) reset();
      let i = pos;
      while (i < events.length && !MESSAGE.has(events[i].ev)) i++;
      if (i >= events.length) return finish();
      t = Number(events[i].t);
      release(t);
      tick();
    },
    /** Jump to `target` ms: counters and states as they were then, no tokens. */
    seek(target) {
      const wasPlaying = playing;
      api.pause();
      reset();
      t = Math.max(0, Math.min(duration, Number(target) || 0));
      release(t, true);
      if (t >= duration) return finish();
      tick();
      if (wasPlaying) api.play();
    },
    setRate(r) {
      rate = Math.max(0.1, Math.min(8, Number(r) || 1));
    },
    stop() {
      api.pause();
    },
  };
  return api;
}
