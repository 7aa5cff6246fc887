// The print page's button: shown only when scripts run (the browser's own print works
// without it).
document.querySelectorAll("[data-board-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
