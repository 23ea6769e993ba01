/* The programme page's way into shared-screen mode for a presentation remote. A remote sends
   only PageDown, PageUp, B or period, F5 and Escape, so it cannot Tab to a card's "Show on a
   shared screen" button; F5 (Shift+F5 on some remotes), the key that starts a slide show, opens
   the card that holds the focus, or else the first one on the page. Everywhere else F5 still
   reloads. Block templates include this file once per card: the first copy does the work. */
(() => {
  "use strict";

  if (window.presentLaunchReady) return;
  window.presentLaunchReady = true;

  document.addEventListener("keydown", (event) => {
    if (event.key !== "F5" || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return; // Ctrl+F5 is a hard reload
    const links = Array.from(document.querySelectorAll("a[data-present-launch]"));
    if (links.length === 0) return;
    const active = document.activeElement;
    const card = active && active.closest ? active.closest("[data-present-card]") : null;
    const own = card ? card.querySelector("a[data-present-launch]") : null;
    event.preventDefault();
    window.location.assign((own || links[0]).href);
  });
})();
