/* The unit menu is a <details> disclosure: tap or Enter/Space on its summary opens it without
   any script. This adds what a disclosure lacks: Escape closes it (focus back on the summary),
   a tap or focus outside closes it, and aria-expanded mirrors its state for screen readers. */
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details[data-menu]"));
  function sync(menu) {
    menu.querySelector("summary").setAttribute("aria-expanded", menu.open ? "true" : "false");
  }
  function close(menu, refocus) {
    if (!menu.open) { return; }
    menu.open = false;
    sync(menu);
    if (refocus) { menu.querySelector("summary").focus(); }
  }
  menus.forEach(function (menu) {
    sync(menu);
    menu.addEventListener("toggle", function () { sync(menu); });
    menu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" || e.key === "Esc") {
        e.preventDefault();
        close(menu, true);
      }
    });
  });
  document.addEventListener("click", function (e) {
    menus.forEach(function (menu) { if (!menu.contains(e.target)) { close(menu, false); } });
  });
  document.addEventListener("focusin", function (e) {
    menus.forEach(function (menu) { if (!menu.contains(e.target)) { close(menu, false); } });
  });
})();
