// Tell the user when an htmx request fails outright (server error, lost connection), so a
// save never fails silently. The form keeps what was typed: nothing is swapped.
(function () {
  function showFailure(event) {
    var main = document.getElementById("main");
    if (!main || document.getElementById("request-failed")) return;
    var alert = document.createElement("div");
    alert.id = "request-failed";
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    // A request refused as too large says so in plain text: show that instead.
    var xhr = event.detail && event.detail.xhr;
    alert.textContent =
      xhr && xhr.status === 413 && xhr.responseText
        ? xhr.responseText
        : document.body.dataset.requestFailed;
    main.prepend(alert);
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:beforeRequest", function () {
    var alert = document.getElementById("request-failed");
    if (alert) alert.remove();
  });
})();

// A select marked data-submit-on-change sends its form when the choice changes (language,
// year). Here rather than in an onchange attribute, which the Content-Security-Policy refuses.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches("select[data-submit-on-change]") && field.form) field.form.submit();
});
