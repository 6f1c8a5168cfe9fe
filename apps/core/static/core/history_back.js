// The Back button of the "database unavailable" page after a form was sent (CSP allows no
// inline script or javascript: link): back to the form, which the browser keeps filled in.
document.querySelectorAll("[data-history-back]").forEach((button) => {
  button.addEventListener("click", () => window.history.back());
});
