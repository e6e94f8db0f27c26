/* Keyboard reach.
 *
 * A table wider than its column scrolls sideways inside its .gk-table-wrap. Such a wrapper is made
 * reachable by keyboard (tabindex 0, so the arrow keys scroll it) and named for screen readers
 * (role region, the heading before it); a table that fits is left out of the tab order. Checked
 * again when the window is resized or the reading mode changes the text size. */
(function () {
  "use strict";

  /* The header search panel (full screen on a phone) opens when its box takes the focus; it closes
   * when the focus moves on out of it, so the focus never rests on a page hidden under the panel. */
  document.addEventListener("focusin", function (event) {
    var toggle = document.getElementById("__search");
    if (toggle && toggle.checked && event.target instanceof Element && !event.target.closest(".md-search")) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  });

  function nameOf(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var node = wrap.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.replace(/¶$/, "").trim();
    }
    var heading = document.querySelector("article h1");
    return heading ? heading.textContent.replace(/¶$/, "").trim() : "";
  }
  function update() {
    document.querySelectorAll(".gk-table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          var name = nameOf(wrap);
          wrap.setAttribute("aria-label", name ? name + "（表格，可左右滚动）" : "表格（可左右滚动）");
        }
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  var pending = 0;
  function later() {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  }
  document.addEventListener("DOMContentLoaded", function () {
    update();
    window.addEventListener("resize", later);
    new MutationObserver(later).observe(document.documentElement, { attributes: true, attributeFilter: ["data-gk-care"] });
  });
})();
