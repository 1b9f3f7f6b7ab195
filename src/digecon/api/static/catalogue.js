/* The catalogue's filter as one types: a row stays when every word of the query occurs
   (ignoring case) in its searchable text (the [data-s] parts: code, names, unit, definition,
   formula, aliases, sources) — the same rule as the server's ?q=, which the form sends when
   this script does not run. The address keeps ?q= so the filtered view can be shared. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-filter]");
  if (!form) { return; }
  var input = form.querySelector("input[name=q]");
  var count = document.getElementById("q-count");
  var none = document.getElementById("q-none");
  var echo = none ? none.querySelector("[data-q-echo]") : null;
  var rows = Array.prototype.slice.call(
    document.getElementById(form.getAttribute("data-filter")).tBodies[0].rows);
  var texts = rows.map(function (tr) {
    return Array.prototype.map.call(tr.querySelectorAll("[data-s]"), function (el) {
      return el.textContent;
    }).join(" ").toLowerCase();
  });
  var timer = null;
  function apply() {
    var q = input.value.replace(/\s+/g, " ").trim();
    var words = q.toLowerCase().split(" ").filter(Boolean);
    var n = 0;
    rows.forEach(function (tr, i) {
      var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      tr.hidden = !ok;
      if (ok) { n += 1; }
    });
    count.textContent = q ? "「" + q + "」：显示 " + n + " / " + rows.length + " 个指标"
                          : "显示全部 " + rows.length + " 个指标";
    if (none) { none.hidden = n > 0; }
    if (echo) { echo.textContent = q; }
    if (window.history && history.replaceState) {
      history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    }
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 120);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); apply(); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") { input.value = ""; apply(); }
  });
})();
