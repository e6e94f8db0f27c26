/* Gongkai unit pages: filter the list of decisions by quarter and category, in the browser.
 * Without this script every decision is listed and the filter stays hidden. With it, the list
 * opens on the latest quarter (a unit of many quarters lists thousands of decisions; a phone
 * shows the newest first either way). A choice other than that is kept in the address
 * (?period=2025Q1&category=…; period= for every quarter), so a filtered list can be linked and
 * comes back on reload. Also opens a folded section (<details>) that a link points into. */
(function () {
  "use strict";

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var node = id && document.getElementById(id);
    for (; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  function setUpFilter() {
    var list = document.getElementById("gk-unit-decisions");
    var box = document.getElementById("gk-filter");
    if (!list || !box) return;
    var items = Array.prototype.slice.call(list.children);
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));
    var status = document.getElementById("gk-filter-status");
    var empty = document.getElementById("gk-filter-empty");

    function chosen() {
      var wanted = {};
      selects.forEach(function (select) { wanted[select.getAttribute("data-filter")] = select.value; });
      return wanted;
    }

    function apply() {
      var wanted = chosen();
      var shown = 0;
      items.forEach(function (item) {
        var match = (!wanted.period || item.getAttribute("data-period") === wanted.period) &&
          (!wanted.category || item.getAttribute("data-category") === wanted.category);
        item.hidden = !match;
        if (match) shown += 1;
      });
      if (status) {
        status.textContent = shown === items.length
          ? "显示全部 " + items.length + " 项决策事项。"
          : "显示 " + shown + " 项（共 " + items.length + " 项）。";
      }
      if (empty) empty.hidden = shown !== 0;
    }

    /* The latest quarter first (the first option after 全部季度), every category. */
    var defaults = {};
    selects.forEach(function (select) {
      var name = select.getAttribute("data-filter");
      defaults[name] = name === "period" && select.options.length > 1 ? select.options[1].value : "";
    });

    function remember() {
      var params = new URLSearchParams(location.search);
      var wanted = chosen();
      Object.keys(wanted).forEach(function (name) {
        if (wanted[name] !== defaults[name]) params.set(name, wanted[name]); else params.delete(name);
      });
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    var params = new URLSearchParams(location.search);
    selects.forEach(function (select) {
      var name = select.getAttribute("data-filter");
      var value = params.has(name) ? params.get(name) : defaults[name];
      if (Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
      select.addEventListener("change", function () { apply(); remember(); });
    });
    box.hidden = false;
    apply();
  }

  function start() {
    setUpFilter();
    openTarget();
  }

  window.addEventListener("hashchange", openTarget);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
