// Items and estimated hours per list, drawn from the data-* attributes of each canvas.
// No inline scripts: the CSP forbids them.
document.querySelectorAll("canvas.catalogue-chart").forEach((canvas) => {
  if (typeof Chart === "undefined") return;
  const data = (name) => JSON.parse(canvas.dataset[name] || "[]");
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data("labels"),
      datasets: [
        { label: canvas.dataset.itemsLabel, data: data("items"), backgroundColor: "#a4161a", yAxisID: "y" },
        { label: canvas.dataset.hoursLabel, data: data("hours"), backgroundColor: "#adb5bd", yAxisID: "y1" },
      ],
    },
    options: {
      responsive: true,
      animation: false,
      scales: {
        y: { beginAtZero: true, position: "left", ticks: { precision: 0 } },
        y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } },
      },
    },
  });
});
