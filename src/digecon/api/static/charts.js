/* Draw every .chart from the ECharts option embedded beside it (JSON, not script). */
(function () {
  "use strict";
  var charts = [];
  document.querySelectorAll(".chart[data-option]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-option"));
    if (!src || typeof echarts === "undefined") { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(JSON.parse(src.textContent));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
