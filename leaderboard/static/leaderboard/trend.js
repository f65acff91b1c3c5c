// A unit's trend across the published weeks: total score (line) and rank (line, inverted axis).
(function () {
  "use strict";
  var holder = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!holder || !source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  if (!data.weeks.length) { return; }
  var chart = echarts.init(holder, null, { renderer: "svg" });
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.total, data.labels.rank], bottom: 0 },
    grid: { left: 40, right: 40, top: 20, bottom: 50 },
    xAxis: { type: "category", data: data.weeks },
    yAxis: [
      { type: "value", min: 0, max: 100, name: data.labels.total },
      { type: "value", inverse: true, minInterval: 1, name: data.labels.rank }
    ],
    series: [
      { name: data.labels.total, type: "line", data: data.totals, connectNulls: false, symbolSize: 8 },
      { name: data.labels.rank, type: "line", yAxisIndex: 1, data: data.ranks, lineStyle: { type: "dashed" }, symbolSize: 8 }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
