// Week picker on the public lists: go to the chosen week's page (works without JS via the links too).
(function () {
  "use strict";
  var select = document.getElementById("week-select");
  if (!select) { return; }
  select.addEventListener("change", function () {
    window.location.href = select.dataset.urlPattern.replace("0000-00-00", select.value);
  });
})();
