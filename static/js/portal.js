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

// A select or check box marked data-submit-on-change sends its form when it changes (language,
// year). Here rather than in an onchange attribute, which the Content-Security-Policy refuses.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches("select[data-submit-on-change], input[type=checkbox][data-submit-on-change]") && field.form) field.form.submit();
});

// A table wider than its box says so (data-scroll-cue on the box around .table-responsive,
// naming the hint's id): a shade at each edge it continues past, and the hint shown, only
// while it overflows. Checked again when the box is resized or scrolled.
(function () {
  function update(cue, box) {
    var overflowing = box.scrollWidth > box.clientWidth + 1;
    cue.classList.toggle("is-overflowing", overflowing);
    cue.classList.toggle("at-start", box.scrollLeft <= 1);
    cue.classList.toggle("at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    var hint = document.getElementById(cue.dataset.scrollCue);
    if (hint) hint.hidden = !overflowing;
  }
  document.querySelectorAll("[data-scroll-cue]").forEach(function (cue) {
    var box = cue.querySelector(".table-responsive");
    if (!box) return;
    var check = function () {
      update(cue, box);
    };
    check();
    box.addEventListener("scroll", check, { passive: true });
    if (window.ResizeObserver) new ResizeObserver(check).observe(box);
    else window.addEventListener("resize", check);
  });
})();
