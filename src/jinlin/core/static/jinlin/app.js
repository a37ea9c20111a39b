// Small behaviours of the pages; no inline script anywhere (the CSP forbids it).

// htmx wires up swapped-in content only when it "settles", 20 ms after the swap by default; a
// choice made in that window (the chained lists of the woodpecker form) went unheard. Nothing
// here animates on settle, so settle at once.
if (window.htmx) window.htmx.config.defaultSettleDelay = 0;
document.addEventListener("DOMContentLoaded", () => {
  // A refused form answers with the page again: bring its first error where the eye is (on a
  // phone it may be a screen and a half below the top) and put the cursor in its field.
  const refusal = document.querySelector("main .error[role=alert]");
  if (refusal) {
    refusal.scrollIntoView({ block: "center" });
    const field = refusal.closest("label, p, div")?.querySelector("input, select, textarea");
    if (field && typeof field.focus === "function") field.focus({ preventScroll: true });
  }
  // A lookup inside a half-filled form (the concern form's 查找居民) keeps what was typed: the
  // search carries the other form's fields along, never its CSRF token.
  document.querySelectorAll("form[data-carry]").forEach((search) => {
    search.addEventListener("submit", () => {
      const source = document.getElementById(search.dataset.carry);
      if (!source) return;
      search.querySelectorAll("input[data-carried]").forEach((el) => el.remove());
      for (const [name, value] of new FormData(source)) {
        if (name === "csrfmiddlewaretoken" || typeof value !== "string" || !value) continue;
        const field = document.createElement("input");
        field.type = "hidden";
        field.name = name;
        field.value = value;
        field.dataset.carried = "";
        search.appendChild(field);
      }
    });
  });
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
