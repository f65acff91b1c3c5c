// Charts of the home page. Each chart's data comes from the page's "home-charts" json_script block:
// {id, title, x: [labels], series: [{name, data, type?, axis?, dashed?}], axes?: [{name, max?}], unit?, max?,
//  choices?: [{name, data}], choice_label?}. With choices, a select adds one of them (a township) as a line.
(function () {
  var source = document.getElementById("home-charts");
  if (!source || typeof echarts === "undefined") { return; }
  var specs = JSON.parse(source.textContent);
  var charts = [];

  function seriesOf(spec, extra) {
    var all = spec.series.concat(extra ? [extra] : []);
    return all.map(function (s) {
      return {
        name: s.name,
        type: s.type || "line",
        data: s.data,
        yAxisIndex: s.axis || 0,
        connectNulls: true,
        showSymbol: (s.type || "line") === "line" && spec.x.length <= 12,
        lineStyle: s.dashed ? { type: "dashed" } : undefined
      };
    });
  }

  function axesOf(spec) {
    var axes = spec.axes || [{ name: spec.unit || "", max: spec.max }];
    return axes.map(function (a) { return { type: "value", name: a.name || "", max: a.max, minInterval: 1 }; });
  }

  function draw(chart, spec, extra) {
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.x },
      yAxis: axesOf(spec),
      series: seriesOf(spec, extra)
    }, { replaceMerge: ["series"] });
  }

  specs.forEach(function (spec) {
    var element = document.getElementById("chart-" + spec.id);
    if (!element) { return; }
    var chart = echarts.init(element);
    charts.push(chart);
    var choices = spec.choices || [];
    if (!choices.length) { draw(chart, spec); return; }
    var controls = document.querySelector('[data-chart-controls="' + spec.id + '"]');
    var label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.textContent = spec.choice_label || "";
    var select = document.createElement("select");
    select.className = "form-select form-select-sm mb-2";
    select.id = "chart-" + spec.id + "-choice";
    label.htmlFor = select.id;
    choices.forEach(function (choice, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = choice.name;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { draw(chart, spec, choices[Number(select.value)]); });
    if (controls) { controls.appendChild(label); controls.appendChild(select); }
    draw(chart, spec, choices[0]);
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
