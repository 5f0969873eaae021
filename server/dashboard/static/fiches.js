// The help sheets' "Imprimer la fiche" button: shown only when this script runs.
for (const button of document.querySelectorAll("[data-imprimer]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
