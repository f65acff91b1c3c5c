// Origin pickers: the county list shows only the counties of the chosen province, and choosing a county
// first fills in its province. Works without this script too (the server checks the pair).
(function () {
  document.querySelectorAll("select[name='origin_province']").forEach(function (province) {
    var county = province.form && province.form.querySelector("select[name='origin_county']");
    if (!county) { return; }
    var groups = Array.prototype.slice.call(county.querySelectorAll("optgroup")).map(function (g) { return g.cloneNode(true); });

    function provinceName() {
      var option = province.options[province.selectedIndex];
      return option && option.value ? option.text : "";
    }

    function refill() {
      var name = provinceName();
      var chosen = county.value;
      county.querySelectorAll("optgroup").forEach(function (g) { g.remove(); });
      groups.forEach(function (g) {
        if (!name || g.label.indexOf(name + " ") === 0) { county.appendChild(g.cloneNode(true)); }
      });
      county.value = chosen;
      if (county.value !== chosen) { county.value = ""; }
    }

    county.addEventListener("change", function () {
      var option = county.options[county.selectedIndex];
      if (!option || !option.value || provinceName()) { return; }
      var label = option.parentNode.label || "";
      Array.prototype.forEach.call(province.options, function (p) {
        if (p.value && label.indexOf(p.text + " ") === 0) { province.value = p.value; }
      });
      refill();
    });
    province.addEventListener("change", refill);
    refill();
  });
})();
