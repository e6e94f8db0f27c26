/* 长者模式（适老化）: larger text and higher contrast, switched on and off by the header button and
 * kept for this site in localStorage, across pages and visits. Loaded in <head> without defer, so
 * the mode is set on <html> before the first paint; a file, not an inline script (the
 * Content-Security-Policy allows scripts from the site only). The styles are in gongkai.css,
 * under html[data-gk-care]. Without JavaScript the button stays hidden. */
(function () {
  "use strict";
  var KEY = "gongkai-care";
  var root = document.documentElement;

  function stored() {
    try { return localStorage.getItem(KEY) === "1"; } catch (error) { return false; }
  }
  function store(on) {
    try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch (error) { /* private mode: this page only */ }
  }
  function apply(on) {
    if (on) root.setAttribute("data-gk-care", ""); else root.removeAttribute("data-gk-care");
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll("[data-gk-care-toggle]");
    function show() {
      var on = root.hasAttribute("data-gk-care");
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", on ? "true" : "false");
        button.title = on ? "关闭长者模式（恢复标准字号）" : "开启长者模式（大字号、高对比度）";
      });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = !root.hasAttribute("data-gk-care");
        apply(on);
        store(on);
        show();
      });
    });
    show();
  });
})();
