// Keeps the editor's header on one line whatever it holds: a longer label in Korean, Restart for
// Run, Resume and Step while paused, the language switch last. Breakpoints alone cannot know
// that (the header is widest while a run is paused, in English). When the header's content would
// run past its right edge, words become visually hidden names, step by step: the toolbar's words
// first, then the run controls' (css/responsive.css, body.fit-1 / body.fit-2). Icons stay, and
// screen readers still read every word. Re-checked whenever the header's content or the window
// changes; below 1024 px the header wraps to two rows and this finds nothing to do.

const LEVELS = ["fit-1", "fit-2"];

function overflows(bar) {
  const edge = bar.getBoundingClientRect().right;
  let right = 0;
  for (const el of bar.children) {
    if (el.offsetParent === null) continue; // hidden
    right = Math.max(right, el.getBoundingClientRect().right);
  }
  return right > edge + 0.5;
}

/** Hide as few words as the header needs (synchronous: no frame shows the overflow). */
export function fitHeader(bar) {
  document.body.classList.remove(...LEVELS);
  for (const level of LEVELS) {
    if (!overflows(bar)) return;
    document.body.classList.add(level);
  }
}

export function attachHeaderFit(bar = document.querySelector(".topbar")) {
  if (!bar) return null;
  // Refit in the observer's callback (a microtask right after the change), not a frame later:
  // no frame and no other task ever sees the header overflowing.
  const later = () => fitHeader(bar);
  // labels, buttons shown or hidden (Step), the status pill's text
  new MutationObserver(later).observe(bar, {
    subtree: true,
    childList: true,
    characterData: true,
    attributes: true,
    attributeFilter: ["hidden", "class"],
  });
  window.addEventListener("resize", later);
  document.fonts?.ready.then(later); // web fonts change the words' widths once loaded
  fitHeader(bar);
  return { refit: () => fitHeader(bar) };
}
