/* Gongkai search: the header search box and the full search page, on Pagefind's JS API.
 * The Pagefind bundle is part of the site (pagefind/), so nothing is loaded from other hosts.
 * Text from the index is inserted as text; only Pagefind's <mark> highlights become elements. */
(function () {
  "use strict";
  var rootMeta = document.querySelector('meta[name="gongkai-root"]');
  var root = new URL(rootMeta ? rootMeta.content : "./", location.href);
  var catalogue = null, instances = {};

  /* What the build says of the search shards (search/shards.json): each shard's bundle, quarters
   * and dates, newest first, and the count of every filter value over the whole portal. Reading it
   * costs a few KB; no shard is loaded until a search needs it. The pages themselves do not name
   * the shards, so that a new shard changes this file and the bundles, never every page. */
  function loadCatalogue() {
    if (!catalogue) {
      catalogue = fetch(new URL("search/shards.json", root).href).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      }).catch(function () {
        /* No catalogue: the first bundle only, no quarters known (the filter lists stay empty). */
        return { shards: [{ bundle: "pagefind/", quarters: null, dates: null }], filters: null };
      });
    }
    return catalogue;
  }

  /* One Pagefind instance per search shard, loaded when a search first needs it. */
  function shardInstance(bundle) {
    if (!instances[bundle]) {
      instances[bundle] = import(new URL(bundle + "pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname }).then(function () { return pf; });
      });
    }
    return instances[bundle];
  }

  /* Exact matches first: a result whose text holds the query as typed (Pagefind's quoted,
   * exact-phrase search) comes before one that only holds its words apart or a longer word that
   * starts with it. Within each group the order asked for stays: newest first, or by relevance. A
   * query the reader quoted is already exact. */
  function searchShard(bundle, query, options, shard) {
    var exact = query && query.indexOf('"') < 0 ? '"' + query + '"' : null;
    return shardInstance(bundle).then(function (pf) {
      return Promise.all([pf.search(query, options), exact ? pf.search(exact, options) : null]);
    }).then(function (pair) {
      var loose = pair[0], strict = pair[1], exactIds = {}, out = [];
      if (!loose) return out;
      if (strict) strict.results.forEach(function (r) { exactIds[r.id] = true; });
      loose.results.forEach(function (r, order) {
        r.gkExact = !exact || !!exactIds[r.id];
        r.gkOrder = shard * 1e7 + order;
        out.push(r);
      });
      return out;
    });
  }

  function ordered(results, byDate) {
    return results.sort(function (a, b) {
      if (a.gkExact !== b.gkExact) return a.gkExact ? -1 : 1;
      return byDate ? a.gkOrder - b.gkOrder : (b.score - a.score) || (a.gkOrder - b.gkOrder);
    });
  }

  /* A search over the shards, newest first, that loads an older shard only when more results are
   * wanted (``more``). Shards hold date ranges, so newest first the results of the shards searched
   * come before any of an older one's. Sorted by relevance, the newest ``RELEVANCE_SHARDS`` shards
   * are searched at once and ranked together, older ones in further batches when more are wanted:
   * every shard at once cost a reader 12.7 MB at 100,000 decisions (74 shards), a batch about
   * 0.7 MB. A quarter filter searches only the shards that hold that quarter. */
  var RELEVANCE_SHARDS = 4;
  function Search(query, options) {
    var byDate = !!(options && options.sort && options.sort.date);
    var quarter = options && options.filters && options.filters["季度"];
    var self = this;
    this.results = [];
    this.searched = [];
    this.ready = loadCatalogue().then(function (cat) {
      self.pending = cat.shards.map(function (s, n) { return { bundle: s.bundle, quarters: s.quarters, dates: s.dates, n: n }; })
        .filter(function (s) { return !quarter || !s.quarters || s.quarters.indexOf(quarter) >= 0; });
    });
    this.more = function (want) {
      return self.ready.then(function step() {
        if (!self.pending.length || self.results.length >= want) return self.results;
        var batch = self.pending.splice(0, byDate ? 1 : RELEVANCE_SHARDS);
        return Promise.all(batch.map(function (s) { return searchShard(s.bundle, query, options, s.n); }))
          .then(function (found) {
            var fresh = [];
            found.forEach(function (list, i) { fresh = fresh.concat(list); self.searched.push(batch[i]); });
            self.results = self.results.concat(ordered(fresh, byDate));
            return step();
          });
      });
    };
    this.complete = function () { return !self.pending.length; };
    /* The dates the shards searched so far cover: [oldest, newest], or null where none is known. */
    this.span = function () {
      var oldest = null, newest = null;
      self.searched.forEach(function (s) {
        if (!s.dates) return;
        if (!oldest || s.dates[0] < oldest) oldest = s.dates[0];
        if (!newest || s.dates[1] > newest) newest = s.dates[1];
      });
      return oldest ? [oldest, newest] : null;
    };
  }

  /* The newest shard, fetched ahead when a reader starts to search. */
  function warmUp() {
    loadCatalogue().then(function (cat) {
      if (cat.shards.length) shardInstance(cat.shards[0].bundle).then(function (pf) { return pf.init && pf.init(); });
    }).catch(function () {});
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is a window of about 30 words of the page's text, cut wherever the window
   * falls (often inside a word), with its blocks joined by an ASCII ". ". Read as Chinese: the
   * excerpt starts where its clause starts (the few characters before the window are taken from
   * the page's text, up to the nearest punctuation or block boundary), or, when that is far, at its
   * first punctuation or its first highlighted word after "…"; ". " becomes "。"; an excerpt that
   * stops inside the page's text ends at its last punctuation after the highlights, or with "…". */
  /* Where a clause may start: after white space (Pagefind's ". " between blocks included) or Chinese
   * punctuation. Not after an ASCII "." alone: 3.0T and 180.59 are one word. */
  var BOUNDARY = /[\s。！？；：，、!?]/;
  var REACH = 24;
  function cleanExcerpt(html, content) {
    var parts = [], doc = new DOMParser().parseFromString("<body>" + (html || ""), "text/html");
    (function copy(from) {
      from.childNodes.forEach(function (child) {
        if (child.nodeType === 3) parts.push({ text: child.textContent, mark: false });
        else if (child.nodeName === "MARK") parts.push({ text: child.textContent, mark: true });
        else copy(child);
      });
    })(doc.body);
    var plain = parts.map(function (p) { return p.text; }).join("");
    content = content || "";
    var at = plain ? content.indexOf(plain) : -1;
    var firstMark = parts.findIndex(function (p) { return p.mark; });
    if (at > 0 && !BOUNDARY.test(content.charAt(at - 1)) && !BOUNDARY.test(plain.charAt(0))) {
      var back = at;
      while (back > 0 && at - back < REACH && !BOUNDARY.test(content.charAt(back - 1))) back--;
      if (back === 0 || BOUNDARY.test(content.charAt(back - 1))) {
        parts.unshift({ text: content.slice(back, at), mark: false });
      } else {
        /* No boundary near: drop the broken clause up to the first punctuation before the first
         * highlight, or everything before the first highlight. */
        var lead = firstMark < 0 ? parts.length : firstMark, cut = false;
        for (var i = 0; i < lead && !cut; i++) {
          var m = /[。！？；：，、]\s*|\.\s+/.exec(parts[i].text);
          if (m) { parts[i].text = parts[i].text.slice(m.index + m[0].length); parts.splice(0, i); cut = true; }
        }
        if (!cut) { parts.splice(0, lead); parts.unshift({ text: "…", mark: false }); }
      }
    }
    if (at >= 0 && at + plain.length < content.length && !BOUNDARY.test(content.charAt(at + plain.length))) {
      var last = parts.length - 1;
      var tail = parts[last] && !parts[last].mark ? parts[last] : null;
      var stop = tail ? Math.max(tail.text.lastIndexOf("。"), tail.text.lastIndexOf("，"), tail.text.lastIndexOf(". "),
                                 tail.text.lastIndexOf("；")) : -1;
      if (tail && stop >= 0) tail.text = tail.text.slice(0, stop + 1);
      else parts.push({ text: "…", mark: false });
    }
    var before = "";
    parts.forEach(function (p) {
      if (!p.mark) {
        p.text = p.text.replace(/\.(\s+|$)/g, function (dot, space, offset, whole) {
          var prev = offset ? whole.charAt(offset - 1) : before;
          if (/[。！？；：，、]/.test(prev)) return "";
          return /[\u3000-\u9fff\uff00-\uffef\d%）》”]/.test(prev) ? "。" : dot;
        }).replace(/([。！？；：，、])\s+/g, "$1");
      }
      if (p.text) before = p.text.charAt(p.text.length - 1);
    });
    if (parts.length && !parts[0].mark) parts[0].text = parts[0].text.replace(/^[\s。，、；：.]+/, "");
    return parts.filter(function (p) { return p.text; });
  }

  /* Pagefind excerpts contain <mark> highlights: keep those, turn everything else into text. */
  function excerptNode(item, className) {
    var out = el("p", className);
    cleanExcerpt(item.excerpt, item.content).forEach(function (p) {
      out.appendChild(p.mark ? el("mark", null, p.text) : document.createTextNode(p.text));
    });
    return out;
  }

  function metaLine(meta) {
    return [meta.unit, meta.date && meta.date !== "0000-00-00" ? meta.date : "", meta.category, meta.result]
      .filter(Boolean).join(" · ");
  }

  /* ---- the header search box ---- */
  function initHeaderSearch() {
    var input = document.querySelector("[data-gk-search-input]");
    var list = document.querySelector("[data-gk-search-results]");
    var meta = document.querySelector("[data-gk-search-meta]");
    var toggle = document.getElementById("__search");
    if (!input || !list) return;
    var timer = null, serial = 0;
    if (toggle) toggle.addEventListener("change", function () {
      if (toggle.checked) { warmUp(); setTimeout(function () { input.focus(); }, 50); }
    });
    /* The theme shows the results panel while its search toggle is on: turn it on when the box is
     * focused (the theme does this only for its own lunr search), off with Escape. */
    input.addEventListener("focus", function () {
      warmUp();
      if (toggle && !toggle.checked) toggle.checked = true;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle) { toggle.checked = false; input.blur(); }
    });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 180);
    });
    function run() {
      var query = input.value.trim(), mine = ++serial;
      if (!query) { list.replaceChildren(); meta.textContent = "输入关键词检索，按回车查看全部结果"; return; }
      var search = new Search(query, { sort: { date: "desc" } });
      search.more(8).then(function (results) {
        if (mine !== serial) return null;
        meta.textContent = !results.length ? "没有找到相关内容"
          : search.complete() ? "找到 " + results.length + " 条结果，按回车查看全部"
          : "较新的记录中找到 " + results.length + " 条结果，按回车查看全部";
        return Promise.all(results.slice(0, 8).map(function (r) { return r.data(); }));
      }).then(function (items) {
        if (!items || mine !== serial) return;
        list.replaceChildren.apply(list, items.map(function (item) {
          var li = el("li", "md-search-result__item");
          var a = el("a", "md-search-result__link"); a.href = item.url;
          var art = el("article", "md-search-result__article md-typeset");
          art.appendChild(el("h1", null, item.meta.title || item.url));
          var line = metaLine(item.meta); if (line) art.appendChild(el("p", "gk-result__meta", line));
          art.appendChild(excerptNode(item));
          a.appendChild(art); li.appendChild(a); return li;
        }));
      }).catch(function () { meta.textContent = "检索索引加载失败，请稍后重试。"; });
    }
  }

  /* ---- the full search page ---- */
  function initSearchPage() {
    var app = document.querySelector("[data-gk-search-app]");
    if (!app) return;
    var form = app.querySelector("form"), input = app.querySelector("[data-gk-q]");
    var status = app.querySelector("[data-gk-status]"), list = app.querySelector("[data-gk-results]");
    var more = app.querySelector("[data-gk-more]"), sortSelect = app.querySelector("[data-gk-sort]");
    var selects = Array.prototype.slice.call(app.querySelectorAll("[data-gk-filter]"));
    var PAGE = 20, results = [], shown = 0, serial = 0, rendering = Promise.resolve(), search = null;
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    if (params.has("排序")) sortSelect.value = params.get("排序");

    /* The filters' values and counts come with the shard catalogue: no shard is loaded for them. */
    loadCatalogue().then(function (cat) {
      if (!cat.filters) throw new Error("no catalogue");
      selects.forEach(function (select) {
        var name = select.dataset.gkFilter;
        (cat.filters[name] || []).forEach(function (pair) {
          var option = el("option", null, pair[0] + "（" + pair[1] + "）"); option.value = pair[0];
          select.appendChild(option);
        });
        if (params.get(name)) select.value = params.get(name);
      });
      run();
    }).catch(function () { status.textContent = "检索索引加载失败，请稍后重试。"; });

    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
    selects.concat([sortSelect]).forEach(function (s) { s.addEventListener("change", run); });
    more.addEventListener("click", showMore);

    function currentFilters() {
      var filters = {};
      selects.forEach(function (s) { if (s.value) filters[s.dataset.gkFilter] = s.value; });
      return filters;
    }
    function run() {
      var query = input.value.trim(), filters = currentFilters(), mine = ++serial;
      var url = new URLSearchParams();
      if (query) url.set("q", query);
      Object.keys(filters).forEach(function (k) { url.set(k, filters[k]); });
      if (!sortSelect.value) url.set("排序", "");
      history.replaceState(null, "", url.toString() ? "?" + url.toString() : location.pathname);
      if (!query && !Object.keys(filters).length) {
        results = []; shown = 0; list.replaceChildren(); more.hidden = true;
        status.textContent = "请输入检索词，或选择筛选条件。";
        return;
      }
      status.textContent = "正在检索…";
      more.disabled = false;  /* an older search may have been waiting for a shard */
      var options = { filters: filters };
      if (sortSelect.value) options.sort = { date: "desc" };
      search = new Search(query || null, options);
      search.more(PAGE).then(function (found) {
        if (mine !== serial) return;
        results = found; shown = 0; list.replaceChildren(); rendering = Promise.resolve();
        tell();
        showMore();
      }).catch(function () { if (mine === serial) status.textContent = "检索索引加载失败，请稍后重试。"; });
    }
    /* How many were found: in every quarter, or so far in the newest ones (the rest are searched
     * when the reader asks for more). */
    function tell() {
      var order = sortSelect.value ? "各自按日期从新到旧排列"
        : search.searched.length > RELEVANCE_SHARDS ? "较新的记录在前，各自按相关度排列" : "各自按相关度排列";
      if (!results.length) { status.textContent = "没有找到相关内容，请换一个词或减少筛选条件。"; return; }
      if (search.complete()) {
        status.textContent = "找到 " + results.length + " 条结果，与检索词完全一致的在前，" + order + "。";
        return;
      }
      var span = search.span();
      status.textContent = (span ? span[0] + " 至 " + span[1] + " 的记录中" : "较新的记录中")
        + "找到 " + results.length + " 条结果，与检索词完全一致的在前，" + order
        + "；更早的记录尚未检索，点“显示更多结果”继续。";
    }
    function showMore() {
      var mine = serial;
      if (shown + PAGE > results.length && search && !search.complete()) {
        /* Past what the shards searched so far hold: search older ones first. */
        more.disabled = true;
        search.more(shown + PAGE).then(function (found) {
          if (mine !== serial) return;
          results = found; more.disabled = false; tell(); page();
        }).catch(function () { if (mine === serial) status.textContent = "检索索引加载失败，请稍后重试。"; });
        return;
      }
      page();
    }
    function page() {
      var batch = results.slice(shown, shown + PAGE), mine = serial;
      shown += batch.length;
      more.hidden = shown >= results.length && (!search || search.complete());
      /* Fetched at once, appended in order: a batch asked for (更多) before the one before it has
       * arrived waits for it, so results never come out of order on a slow connection. */
      var data = Promise.all(batch.map(function (r) { return r.data(); }));
      rendering = rendering.then(function () { return data; }).then(function (items) {
        if (mine !== serial) return;
        items.forEach(function (item) {
          var li = el("li", "gk-result");
          var a = el("a", "gk-result__title", item.meta.title || item.url); a.href = item.url;
          li.appendChild(a);
          var line = metaLine(item.meta); if (line) li.appendChild(el("p", "gk-result__meta", line));
          li.appendChild(excerptNode(item, "gk-result__excerpt"));
          list.appendChild(li);
        });
        app.dataset.gkLoaded = String(list.children.length);
      }).catch(function () {});  /* a batch that failed to load does not hold back the next */
    }
  }

  /* ---- sortable tables (progressive: without JavaScript the table stays in its published order) ---- */
  function initSortableTables() {
    document.querySelectorAll("table.gk-sortable").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, column) {
        th.tabIndex = 0;
        th.title = "点击排序";
        function sort() {
          var descending = th.getAttribute("aria-sort") !== "descending";
          table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          function key(row) {
            var cell = row.cells[column], raw = cell.dataset.sort != null ? cell.dataset.sort : cell.textContent.trim();
            var number = parseFloat(raw);
            return isNaN(number) || !/^-?[0-9.]+%?$/.test(raw.replace(/\s/g, "")) && cell.dataset.sort == null ? raw : number;
          }
          rows.sort(function (a, b) {
            var x = key(a), y = key(b), order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
            return descending ? -order : order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
        }
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (event) { if (event.key === "Enter") sort(); });
      });
    });
  }

  initHeaderSearch();
  initSearchPage();
  initSortableTables();
})();
