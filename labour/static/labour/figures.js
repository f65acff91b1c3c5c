// Charts of labour matching; the data comes from the page's json_script block.
(function () {
  var source = document.getElementById("labour-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var townships = document.getElementById("chart-townships");
  if (townships) {
    var bars = echarts.init(townships);
    bars.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: [data.labels.positions, data.labels.arrived, data.labels.gap] },
      grid: { left: 40, right: 20, bottom: 60, containLabel: true },
      xAxis: { type: "category", data: data.townships, axisLabel: { rotate: 40 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: data.labels.positions, type: "bar", data: data.positions, itemStyle: { color: "#6c757d" } },
        { name: data.labels.arrived, type: "bar", data: data.arrived, itemStyle: { color: "#198754" } },
        { name: data.labels.gap, type: "bar", data: data.gap, itemStyle: { color: "#c8102e" } }
      ]
    });
    charts.push(bars);
  }
  var counties = document.getElementById("chart-counties");
  if (counties) {
    var pie = echarts.init(counties);
    pie.setOption({
      title: { text: data.labels.counties, left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "65%"], top: 30, data: data.counties, label: { formatter: "{b}\n{c}" } }]
    });
    charts.push(pie);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
