// The extraction workspace: live character count and evidence highlighting.
// No inline scripts anywhere, so the Content Security Policy can forbid them.
(() => {
  const formatter = new Intl.NumberFormat("en-US");

  function updateCount(textarea) {
    const counter = document.querySelector("#note-count");
    if (!counter) return;
    const limit = Number(counter.dataset.limit);
    const length = textarea.value.length;
    counter.querySelector("[data-count]").textContent = formatter.format(length);
    counter.classList.toggle("over-limit", length > limit);
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches("textarea[name=note]")) updateCount(event.target);
  });
  document.querySelectorAll("textarea[name=note]").forEach(updateCount);

  // Click a code: highlight its evidence quote in the note shown below the result.
  function highlight(evidence) {
    const note = document.getElementById("scrubbed-note");
    if (!note) return;
    const text = note.textContent;
    note.textContent = text;
    const start = evidence ? text.indexOf(evidence) : -1;
    if (start < 0) return;
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, start + evidence.length);
    note.textContent = "";
    note.append(text.slice(0, start), mark, text.slice(start + evidence.length));
    mark.scrollIntoView({ behavior: "smooth", block: "center" });
  }

  document.addEventListener("click", (event) => {
    const chip = event.target.closest(".code-chip");
    if (!chip) return;
    document.querySelectorAll(".code-chip[aria-pressed=true]").forEach((other) => other.setAttribute("aria-pressed", "false"));
    chip.setAttribute("aria-pressed", "true");
    highlight(chip.dataset.evidence);
  });
})();
