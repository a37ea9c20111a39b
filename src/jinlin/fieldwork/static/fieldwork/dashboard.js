// The area dashboard's charts: data from the page's JSON block (no inline script; CSP).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("fieldwork-charts");
  if (!source || typeof echarts === "undefined") return;
  const data = JSON.parse(source.textContent);
  const charts = [];
  const grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
  // Tooltips drawn on the canvas: HTML tooltips carry style attributes the CSP refuses.
  const tip = (extra) => ({ trigger: "axis", renderMode: "richText", ...extra });
  const options = {
    cases: {
      tooltip: tip(),
      legend: { top: 0 },
      grid,
      xAxis: { type: "category", data: data.cases.categories, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.cases.series.map((s) => ({ name: s.name, type: "bar", stack: "age", data: s.data })),
    },
    visits: {
      tooltip: tip(),
      legend: { top: 0 },
      grid,
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.visits.workers },
      series: [
        { name: "逾期", type: "bar", stack: "due", barMaxWidth: 28, data: data.visits.overdue, color: "#c53030" },
        { name: "今天到期", type: "bar", stack: "due", data: data.visits.due_today, color: "#b7791f" },
      ],
    },
    findings: {
      tooltip: tip(),
      legend: { top: 0, type: "scroll" },
      grid,
      xAxis: { type: "category", data: data.findings.months },
      yAxis: { type: "value", minInterval: 1 },
      series: data.findings.series.map((s) => ({ name: s.name, type: "line", smooth: true, data: s.data })),
    },
    garbage: {
      tooltip: tip({ valueFormatter: (v) => v + "%" }),
      grid,
      xAxis: { type: "value", max: 100 },
      yAxis: { type: "category", data: data.garbage.points, axisLabel: { width: 140, overflow: "truncate" } },
      series: [{ name: "达标率", type: "bar", barMaxWidth: 20, data: data.garbage.rates, color: "#1b7f3b" }],
    },
  };
  document.querySelectorAll("[data-chart]").forEach((el) => {
    const option = options[el.dataset.chart];
    if (!option) return;
    if (el.dataset.chart === "garbage") el.style.height = Math.max(240, 28 * data.garbage.points.length + 60) + "px";
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
