// Charts of the relief policies; the data comes from the page's json_script block.
(function () {
  var source = document.getElementById("relief-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function bars(id, categories, paid, pending, rotate) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [data.labels.paid, data.labels.pending] },
      grid: { top: 40, left: 10, right: 10, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: { rotate: rotate, interval: 0, width: 90, overflow: "truncate" } },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.paid, type: "bar", stack: "m", data: paid, itemStyle: { color: "#198754" } },
        { name: data.labels.pending, type: "bar", stack: "m", data: pending, itemStyle: { color: "#ffc107" } }
      ]
    });
    charts.push(chart);
  }
  bars("chart-policies", data.policies, data.policy_paid, data.policy_pending, 35);
  bars("chart-townships", data.townships, data.township_paid, data.township_pending, 40);
  var weeks = document.getElementById("chart-weeks");
  if (weeks) {
    var line = echarts.init(weeks);
    line.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [data.labels.awarded, data.labels.paid] },
      grid: { top: 40, left: 10, right: 10, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: data.weeks },
      yAxis: { type: "value" },
      series: [
        { name: data.labels.awarded, type: "bar", data: data.week_awarded, itemStyle: { color: "#0d6efd" } },
        { name: data.labels.paid, type: "line", data: data.week_paid, itemStyle: { color: "#198754" } }
      ]
    });
    charts.push(line);
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
