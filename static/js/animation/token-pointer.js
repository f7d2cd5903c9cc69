// The pointer on the token layer: a pointer-down on a drawn token shows its message (bus
// "msg:show") instead of starting a pan or a drag, and the cursor becomes a pointer over a token.
// `tokenAt(clientX, clientY)` (tokens.js) is the hit test.

/** Listen on the canvas host for pointer-downs, clicks and moves over tokens. */
export function attachTokenPointer(host, bus, tokenAt) {
  // Pointer-down (not click): a moving token is rarely under the pointer on release. Captured
  // on the host, before the SVG's own handlers: a hit starts no pan or drag (preventDefault
  // also stops the mouse events d3-zoom and d3-drag listen to) and its click selects nothing.
  let swallowClick = false;
  // Counters and gauges are drawn over the tokens (svg.canvas-over): what is under them is theirs.
  const overBadge = (e) => Boolean(e.target?.closest?.(".canvas-over"));
  host.addEventListener(
    "pointerdown",
    (e) => {
      swallowClick = false;
      if (e.button || overBadge(e)) return;
      const t = tokenAt(e.clientX, e.clientY);
      if (!t) return;
      e.stopPropagation();
      e.preventDefault();
      swallowClick = true;
      bus.emit("msg:show", { msg: t.msg, link: t.link, ev: t.kind });
    },
    true,
  );
  host.addEventListener(
    "click",
    (e) => {
      if (!swallowClick) return;
      swallowClick = false;
      e.stopPropagation();
      e.preventDefault();
    },
    true,
  );
  // The pointer cursor over a token: tested at most once a frame.
  let hoverAt = null;
  host.addEventListener(
    "pointermove",
    (e) => {
      if (!hoverAt) requestAnimationFrame(hoverTest);
      hoverAt = [e.clientX, e.clientY, e.buttons || overBadge(e)];
    },
    { passive: true },
  );
  host.addEventListener("pointerleave", () => {
    hoverAt = null;
    host.classList.remove("tk-hover");
  });
  function hoverTest() {
    if (!hoverAt) return;
    const [x, y, buttons] = hoverAt;
    hoverAt = null;
    host.classList.toggle("tk-hover", !buttons && Boolean(tokenAt(x, y)));
  }
}
