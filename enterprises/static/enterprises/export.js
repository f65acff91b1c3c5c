// Polls the export's progress every two seconds until it is ready or has failed.
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box) { return; }
  var part = function (role) { return box.querySelector('[data-role="' + role + '"]'); };
  function show(data) {
    part("status").textContent = data.status_display;
    part("rows").textContent = data.rows_done + " / " + data.rows_total;
    var bar = part("bar");
    bar.style.width = data.percent + "%";
    bar.textContent = data.percent + "%";
    bar.parentElement.setAttribute("aria-valuenow", data.percent);
    if (data.status === "done") { part("download").classList.remove("d-none"); }
    if (data.status === "failed") { part("failed").classList.remove("d-none"); }
  }
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        show(data);
        if (data.status !== "done" && data.status !== "failed") { window.setTimeout(poll, 2000); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  if (box.dataset.status !== "done" && box.dataset.status !== "failed") { window.setTimeout(poll, 1000); }
})();
