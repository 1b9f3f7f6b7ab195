/* Draw every .chart from the ECharts option embedded beside it (JSON, not script), and redraw
   it whenever its box changes size (a phone turned, a window narrowed, a menu opened).
   A figure's option carries its own layout for each width (`media`, computed by
   digecon.figures.layout from the chart's width and font sizes: which labels fit, turn or give
   way to the tooltip); ECharts picks it by the chart's real width on every resize. An option
   without one (the dashboard's own charts) is redrawn in a narrow box with what would overlap
   changed: category labels upright, value labels left to the tooltip. */
(function () {
  "use strict";
  var NARROW = 560;  // px of chart width below which a chart is redrawn for a phone

  function list(x) { return x === undefined ? [] : [].concat(x); }

  // The option for a narrow box: a copy of the full option with what would overlap changed.
  // (Changed in a copy and drawn whole: merging a new legend type into a drawn chart would
  // rebuild the legend with its defaults and lose where the figure put it.)
  function narrowOption(option, width) {
    var o = JSON.parse(JSON.stringify(option));
    var crowded = false;
    list(o.xAxis).forEach(function (ax) {
      var n = ax && ax.type === "category" && ax.data ? ax.data.length : 0;
      var longest = 0;
      (ax && ax.data || []).forEach(function (d) {
        longest = Math.max(longest, String(d && d.value !== undefined ? d.value : d).length);
      });
      if (n && n * (longest * 12 + 8) > width * 0.8) {
        crowded = true;
        ax.axisLabel = Object.assign({}, ax.axisLabel, { rotate: 90, interval: 0 });
      }
    });
    // A legend that wraps onto more rows pushes the plot down by the rows it adds.
    var names = list(o.series).map(function (s) { return s && s.name ? String(s.name) : ""; });
    var legendWidth = names.reduce(function (a, t) { return a + t.length * 12 + 40; }, 0);
    var extraRows = Math.max(0, Math.ceil(legendWidth / width) - 1);
    list(o.legend).forEach(function (lg) {
      if (extraRows && lg.show !== false && lg.bottom === undefined) {
        list(o.grid).forEach(function (g) {
          if (typeof g.top === "number") { g.top += extraRows * 22; }
        });
      }
    });
    if (crowded) {
      list(o.grid).forEach(function (g) { g.containLabel = true; });
      list(o.series).forEach(function (s) {
        if (s && s.label && s.label.show) { s.label.show = false; }
      });
    }
    return o;
  }

  function draw(item) {
    if (item.option.media) {  // laid out for its width by ECharts itself
      if (item.narrow === null) { item.narrow = false; item.chart.setOption(item.option, true); }
      item.chart.resize();
      return;
    }
    var width = item.el.clientWidth;
    var narrow = width < NARROW;
    if (narrow !== item.narrow) {
      item.narrow = narrow;
      item.chart.setOption(narrow ? narrowOption(item.option, width) : item.option, true);
    }
    item.chart.resize();
  }

  var items = [];
  document.querySelectorAll(".chart[data-option]").forEach(function (el) {
    var src = document.getElementById(el.getAttribute("data-option"));
    if (!src || typeof echarts === "undefined") { return; }
    var item = { el: el, option: JSON.parse(src.textContent), narrow: null,
                 chart: echarts.init(el, null, { renderer: "svg" }) };
    items.push(item);
    draw(item);
    if (typeof ResizeObserver !== "undefined") {
      new ResizeObserver(function () { draw(item); }).observe(el);
    }
  });
  window.addEventListener("resize", function () { items.forEach(draw); });
})();
