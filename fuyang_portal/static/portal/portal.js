// Behaviour that needs no inline script: confirm before destructive actions.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A form that writes carries an Idempotency-Key (fuyang_portal/idempotency.py), so a phone that sends it twice
// writes once. Forms rendered by _form.html have one from the server; any other POST form gets one here, made
// when the page loads, so a resubmission of the same page sends the same key. Sign-in and sign-out forms do not.
document.querySelectorAll("form[method=post]:not([data-no-idempotency])").forEach(function (form) {
  if (form.querySelector("input[name=idempotency_key]") || !window.crypto || !window.crypto.getRandomValues) return;
  var bytes = new Uint8Array(16), key = "";
  window.crypto.getRandomValues(bytes);
  bytes.forEach(function (b) { key += ("0" + b.toString(16)).slice(-2); });
  var input = document.createElement("input");
  input.type = "hidden";
  input.name = "idempotency_key";
  input.value = key;
  form.appendChild(input);
});
