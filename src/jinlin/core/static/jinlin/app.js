// Small behaviours of the pages; no inline script anywhere (the CSP forbids it).

// htmx wires up swapped-in content only when it "settles", 20 ms after the swap by default; a
// choice made in that window (the chained lists of the woodpecker form) went unheard. Nothing
// here animates on settle, so settle at once.
if (window.htmx) window.htmx.config.defaultSettleDelay = 0;
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
