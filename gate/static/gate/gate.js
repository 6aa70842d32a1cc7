// The access gate's small behaviours. No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  // The request form: show the township or village chooser that the scope needs.
  function syncScope() {
    const checked = document.querySelector("input[name=scope_kind]:checked");
    const kind = checked ? checked.value : "county";
    document.querySelectorAll("[data-scope-panel]").forEach((panel) => {
      panel.hidden = panel.dataset.scopePanel !== kind;
    });
  }
  document.addEventListener("change", (event) => {
    if (event.target.matches("input[name=scope_kind]")) syncScope();
  });
  document.addEventListener("DOMContentLoaded", syncScope);

  // Ask before an irreversible decision.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  // The department's progress chart (Chart.js, served locally).
  function drawChart() {
    const canvas = document.getElementById("progress-chart");
    const source = document.getElementById("progress-data");
    if (!canvas || !source || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const colours = { done: "#198754", in_progress: "#0dcaf0", pending: "#adb5bd" };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: colours[s.key] })),
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
      },
    });
  }
  document.addEventListener("DOMContentLoaded", drawChart);
})();
