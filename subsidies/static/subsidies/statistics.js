// Charts of the charter programme; the data comes from the page's json_script block.
(function () {
  var source = document.getElementById("subsidy-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];

  var townships = document.getElementById("chart-townships");
  if (townships) {
    var bars = echarts.init(townships);
    bars.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.workers, data.labels.trips] },
      grid: { left: 40, right: 40, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.townships, axisLabel: { rotate: 40 } },
      yAxis: [{ type: "value", name: data.labels.workers }, { type: "value", name: data.labels.trips, minInterval: 1 }],
      series: [
        { name: data.labels.workers, type: "bar", data: data.township_workers, itemStyle: { color: "#c8102e" } },
        { name: data.labels.trips, type: "line", yAxisIndex: 1, data: data.township_trips }
      ]
    });
    charts.push(bars);
  }

  var provinces = document.getElementById("chart-provinces");
  if (provinces) {
    var pie = echarts.init(provinces);
    pie.setOption({
      title: { text: data.labels.provinces, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], top: 30, data: data.provinces, label: { formatter: "{b}\n{c}" } }]
    });
    charts.push(pie);
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
