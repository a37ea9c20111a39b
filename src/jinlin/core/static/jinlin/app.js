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

// The header's menu (a <details> in base.html) lies open in a row on a wide screen; on a phone
// it stays one button. Without script it is a button everywhere and still opens.
document.addEventListener("DOMContentLoaded", () => {
  const wide = window.matchMedia("(min-width: 601px)");
  const menus = document.querySelectorAll("details[data-open-wide]");
  const fit = () => menus.forEach((menu) => { menu.open = wide.matches; });
  fit();
  wide.addEventListener("change", fit);
  // A scrolling table's region is named after the heading above it, for a screen reader.
  document.querySelectorAll(".table-wrap[role=region]").forEach((wrap) => {
    let before = wrap.previousElementSibling;
    while (before && !/^H[1-6]$/.test(before.tagName)) before = before.previousElementSibling;
    if (before) wrap.setAttribute("aria-label", `${before.textContent.trim()}（表格，可左右滑动）`);
  });
});
