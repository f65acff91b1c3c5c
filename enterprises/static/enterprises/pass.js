// The print button on the printable pass page.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("print-pass");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
});
