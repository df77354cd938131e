/* KPI charts (ECharts from the project's static files). Data come from data-chart attributes: no inline script. */
(function () {
  "use strict";
  function render(el) {
    if (!window.echarts) { return; }
    var data;
    try { data = JSON.parse(el.getAttribute("data-chart") || "{}"); } catch (e) { return; }
    var kind = el.getAttribute("data-kpi-chart") || "bar";
    var series = [{ name: (data.series || [])[0] || "", type: kind, data: data.values || [], smooth: kind === "line",
      itemStyle: { color: "#0b57b0" }, connectNulls: false }];
    if (data.targets) {
      series.push({ name: (data.series || [])[1] || "", type: "bar", data: data.targets, itemStyle: { color: "#9aa5b4" } });
    }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, bottom: kind === "bar" ? 90 : 40, top: 36 },
      xAxis: { type: "category", data: data.labels || [], axisLabel: { interval: 0, rotate: kind === "bar" ? 30 : 0 } },
      yAxis: { type: "value" },
      series: series
    });
    el.setAttribute("data-rendered", "1");
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() {
    var els = document.querySelectorAll("[data-kpi-chart]");
    for (var i = 0; i < els.length; i++) { render(els[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
