// Small enhancements of the station pages; everything works without them.
// - Slot forms ([data-slot-form]): "Book" is enabled once a time is picked and names it.
// - Forms with data-confirm ask before doing something that cannot be undone (cancelling).
// Texts come translated from the page (json_script "station-strings", data-confirm).

function readStrings() {
  const node = document.getElementById("station-strings");
  return node ? JSON.parse(node.textContent) : {};
}

function enhanceSlotForm(form, strings) {
  const button = form.querySelector("button[type=submit]");
  if (!button || button.disabled) return; // not allowed to book: leave the page's message
  const update = () => {
    const picked = form.querySelector("input[name=starts_at]:checked");
    button.disabled = !picked;
    button.textContent = picked
      ? strings.book_time.replace("%(time)s", picked.dataset.label)
      : strings.pick_time;
  };
  form.addEventListener("change", update);
  update();
}

function enhanceConfirmForms() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

const strings = readStrings();
for (const form of document.querySelectorAll("form[data-slot-form]")) {
  enhanceSlotForm(form, strings);
}
enhanceConfirmForms();
