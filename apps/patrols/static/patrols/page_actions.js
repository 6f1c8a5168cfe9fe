// Small page actions without inline handlers (the Content-Security-Policy allows no inline
// script): a button with data-print prints the page; a select with data-autosubmit sends
// its form when changed.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
