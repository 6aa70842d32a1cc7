// Draws every <canvas class="vb-chart" data-chart="ID"> from the JSON data block with that id
// (villageburden/charts.py). No inline scripts: the CSP forbids them.
document.querySelectorAll("canvas.vb-chart").forEach((canvas) => {
  if (typeof Chart === "undefined") return;
  const block = document.getElementById(canvas.dataset.chart);
  if (!block) return;
  const config = JSON.parse(block.textContent);
  if (config.type === "bar" || config.type === "line") {
    config.options.scales.y.ticks = { precision: 0 };
  }
  new Chart(canvas, config);
});
