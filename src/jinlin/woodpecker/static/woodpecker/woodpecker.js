// 纠错有奖 pages: copy the announcement; bring the highlighted passage into view.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const source = document.querySelector(button.dataset.copy);
      if (!source) return;
      const text = source.value ?? source.textContent;
      try {
        await navigator.clipboard.writeText(text);
      } catch (error) {
        source.select();
        document.execCommand("copy");
      }
      const note = button.parentElement.querySelector("[data-copied]");
      if (note) note.hidden = false;
    });
  });
  const passage = document.getElementById("passage");
  const box = document.getElementById("article-text");
  if (passage && box && box.scrollHeight > box.clientHeight) {
    box.scrollTop = passage.offsetTop - box.offsetTop - box.clientHeight / 3;
  }
});
