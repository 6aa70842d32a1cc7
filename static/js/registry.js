// Small behaviours shared by every page. No inline scripts: the CSP forbids them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("select[data-autosubmit]")) el.form.submit();
});
document.addEventListener("click", (event) => {
  const el = event.target.closest("[data-print]");
  if (el) window.print();
});
// Progress rows: choosing "done" fills in 100 %, "not started" 0 % (the server still checks the pair).
document.addEventListener("change", (event) => {
  const el = event.target;
  if (!el.matches("select[data-progress-status]")) return;
  const value = el.form.querySelector("[data-progress-value]");
  if (!value) return;
  if (el.value === "done") value.value = "100";
  if (el.value === "pending") value.value = "0";
});
