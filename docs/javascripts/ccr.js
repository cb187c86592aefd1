/* Customer Care Review in the browser: charts drawn by the site's own Vega bundle (loaded
   only on pages that have a chart), sortable and filterable leaderboards, and the compare
   page. Every string from the data is set with textContent, never as HTML. */
(function () {
  "use strict";

  /* ---- charts ---- */
  var vegaLoading = null;
  function loadVega(src) {
    if (window.vegaEmbed) { return Promise.resolve(window.vegaEmbed); }
    if (!vegaLoading) {
      vegaLoading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = function () { resolve(window.vegaEmbed); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return vegaLoading;
  }

  function drawChart(box, embed) {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    fetch(box.getAttribute("data-spec"))
      .then(function (r) { return r.json(); })
      .then(function (spec) {
        if (box.ccrView) { box.ccrView.finalize(); box.ccrView = null; }
        return embed(box, spec, { actions: false, renderer: "svg",
                                  theme: dark ? "dark" : undefined,
                                  config: { background: null } });
      })
      .then(function (result) {
        box.ccrView = result;
        box.setAttribute("data-scheme", dark ? "slate" : "default");
        box.setAttribute("data-rendered", "true");
      })
      .catch(function (error) {
        box.textContent = "The chart could not be drawn; its data is in the table below.";
        console.warn(error);
      });
  }

  /* Material's palette toggle changes the body's colour scheme: a drawn chart is drawn again
     in the new scheme (light labels on the dark background), in the same box. */
  function redrawOnPaletteChange() {
    new MutationObserver(function () {
      var scheme = document.body.getAttribute("data-md-color-scheme") === "slate"
        ? "slate" : "default";
      document.querySelectorAll(".ccr-chart[data-rendered]").forEach(function (box) {
        if (box.getAttribute("data-scheme") === scheme) { return; }
        box.removeAttribute("data-rendered");
        loadVega(box.getAttribute("data-vega")).then(function (embed) { drawChart(box, embed); });
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  /* A chart is drawn when it comes near the viewport, so a page's first paint never waits
     for the Vega bundle; its box keeps its height meanwhile (no layout shift). */
  function drawCharts() {
    var boxes = document.querySelectorAll(".ccr-chart[data-spec]");
    if (!boxes.length) { return; }
    var src = boxes[0].getAttribute("data-vega");
    function draw(box) {
      loadVega(src).then(function (embed) { drawChart(box, embed); });
    }
    if (!("IntersectionObserver" in window)) { boxes.forEach(draw); return; }
    var near = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    boxes.forEach(function (box) { near.observe(box); });
  }

  /* ---- helpers ---- */
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function signed(n) {
    if (n > 0) { return "+" + n; }
    if (n < 0) { return "\u2212" + (-n); }
    return "0";
  }
  function grade(g) { return el("span", g, "ccr-grade ccr-grade-" + String(g).toLowerCase()); }
  function companyLink(root, row) {
    var a = el("a", row.name);
    a.href = root + "companies/" + encodeURIComponent(row.slug) + "/";
    return a;
  }
  /* How a score stands, worded as benchmark/render/standing.py words it. */
  function fixed(n, decimals) { return Number(n).toFixed(decimals); }
  function hasInterval(row) { return row.score_low !== null && row.score_low !== undefined; }
  function scoreLong(row, how) {
    var s = fixed(row.score, how.decimals);
    return hasInterval(row) ? s + " (" + how.level + " interval " +
      fixed(row.score_low, how.decimals) + "\u2013" + fixed(row.score_high, how.decimals) + ")" : s;
  }
  function rankRange(row, scope) {
    var low = row["rank_" + scope + "_low"], high = row["rank_" + scope + "_high"];
    if (low === null || low === undefined) { return null; }
    return low === high ? String(low) : low + "\u2013" + high;
  }
  function srOnly(words) { return el("span", words, "ccr-sr"); }
  function scoreCell(row, how) {
    var td = el("td", null, "num");
    td.appendChild(document.createTextNode(fixed(row.score, how.decimals)));
    if (hasInterval(row)) {
      var low = fixed(row.score_low, how.decimals), high = fixed(row.score_high, how.decimals);
      var iv = el("span", "[" + low + "\u2013" + high + "]", "ccr-iv");
      iv.setAttribute("aria-hidden", "true");
      td.appendChild(document.createTextNode(" "));
      td.appendChild(iv);
      td.appendChild(srOnly(", " + how.level + " interval " + low + " to " + high));
    }
    return td;
  }
  function rankCell(row, scope) {
    var td = el("td", null, "num");
    var low = row["rank_" + scope + "_low"], high = row["rank_" + scope + "_high"];
    if (low === null || low === undefined) { td.textContent = "unranked"; return td; }
    if (low === high) { td.textContent = String(low); return td; }
    var shown = el("span", low + "\u2013" + high);
    shown.setAttribute("aria-hidden", "true");
    td.appendChild(shown);
    td.appendChild(srOnly("places " + low + " to " + high));
    return td;
  }
  function boardHow(data) {
    return { decimals: data.score_decimals === undefined ? 1 : data.score_decimals,
             level: data.interval ? Math.round(data.interval * 100) + "\u00a0%" : "" };
  }

  /* ---- leaderboards ---- */
  var SUBSCORES = ["reachability", "speed", "quality", "transparency", "respect"];
  var TEXT_KEYS = { name: 1, sector: 1, country: 1, grade: 1, tier: 1, why: 1 };

  /* One cell per column key; benchmark/render/leaderboard.py writes the same cells. */
  function boardCell(board, row, key, how) {
    var scope = board.dataset.scope;
    if (key === "rank") { return rankCell(row, scope); }
    if (key === "group") { return el("td", row["group_" + scope], "num"); }
    if (key === "name") {
      var name = el("td", null, "ccr-name");
      name.appendChild(companyLink(board.dataset.root, row));
      if (row.limited && row.ranked) {
        var sup = el("sup", "\u2020");
        sup.title = "limited evidence: fewer probes than the methodology asks for";
        name.appendChild(sup);
      }
      return name;
    }
    if (key === "sector") { return el("td", row.sector_name); }
    if (key === "country") { return el("td", row.country); }
    if (key === "score") { return scoreCell(row, how); }
    if (key === "grade") {
      var g = document.createElement("td");
      if (row.grade) { g.appendChild(grade(row.grade)); } else { g.textContent = "\u2014"; }
      return g;
    }
    if (key === "tier") { return el("td", row.tier || "\u2014"); }
    if (SUBSCORES.indexOf(key) !== -1) { return el("td", row[key].toFixed(1), "num"); }
    if (key === "probes") { return el("td", row.probes, "num"); }
    if (key === "movement") {
      if (row.movement !== null) { return el("td", signed(row.movement), "num"); }
      if (row.previous_edition === null) { return el("td", "new", "num"); }
      var dash = el("td", null, "num");
      var mark = el("span", "\u2014");
      mark.title = "unranked in one of the two editions";
      dash.appendChild(mark);
      return dash;
    }
    if (key === "why") { return el("td", row.why_short); }
    return el("td");
  }

  function initBoard(board) {
    var table = board.querySelector("table");
    var tbody = table.tBodies[0];
    var status = board.querySelector(".ccr-board-status");
    var filter = board.querySelector(".ccr-filter");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var keys = headers.map(function (th) { return th.dataset.key; });
    var scope = board.dataset.scope;
    var ranked = board.dataset.part !== "unranked";
    var sorted = headers.filter(function (th) { return th.hasAttribute("aria-sort"); })[0];
    var state = { rows: [], key: sorted ? sorted.dataset.key : "rank", dir: 1, filter: "",
                  limit: 100, how: { decimals: 1, level: "" } };

    function sortValue(row, key) {
      if (key === "sector") { return row.sector_name; }
      if (key === "movement") { return row.movement === null ? -Infinity : row.movement; }
      if (key === "group") { return row["group_" + scope]; }
      if (key === "why") { return row.why_short; }
      if (key === "grade" || key === "tier") { return row[key] || ""; }
      return row[key];
    }
    function draw() {
      var words = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
      var rows = state.rows.filter(function (r) {
        return words.every(function (w) { return r.haystack.indexOf(w) !== -1; });
      });
      rows.sort(function (a, b) {
        var x = sortValue(a, state.key), y = sortValue(b, state.key);
        var order = TEXT_KEYS[state.key] ? String(x).localeCompare(String(y)) : x - y;
        return order * state.dir || (a.rank || 0) - (b.rank || 0) || a.name.localeCompare(b.name);
      });
      tbody.textContent = "";
      rows.slice(0, state.limit).forEach(function (row) {
        var tr = document.createElement("tr");
        keys.forEach(function (key) { tr.appendChild(boardCell(board, row, key, state.how)); });
        tbody.appendChild(tr);
      });
      headers.forEach(function (th) {
        if (th.dataset.key === state.key) {
          th.setAttribute("aria-sort", state.dir === 1 ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      status.textContent = "Showing " + Math.min(rows.length, state.limit) + " of " +
        rows.length + " companies" + (words.length ? " matching \u201c" + state.filter + "\u201d" : "") + ".";
      if (rows.length > state.limit) {
        var more = el("button", "Show 100 more", "md-button");
        more.type = "button";
        more.addEventListener("click", function () { state.limit += 100; draw(); });
        status.appendChild(document.createTextNode(" "));
        status.appendChild(more);
      }
    }

    /* The rows' JSON is fetched on the first sign of use (pointer, focus, touch), not on
       page load: the first 100 rows are in the HTML already. */
    var loading = null;
    function ensureRows() {
      if (!loading) {
        loading = fetch(board.dataset.rows)
          .then(function (r) { return r.json(); })
          .then(function (data) {
            state.how = boardHow(data);
            state.rows = data.rows.filter(function (r) {
              return (scope === "overall" || r[scope] === board.dataset.value) &&
                (r.ranked !== false) === ranked;
            });
            state.rows.forEach(function (r) {
              r.rank = r["rank_" + scope];
              r.haystack = [r.name, r.slug, r.sector_name, r.country, r.country_name,
                            r.grade || "", r.tier || "", r.ranked === false ? "unranked" : ""
                           ].join(" ").toLowerCase();
            });
            board.setAttribute("data-ready", "true");
          });
        loading.catch(function (error) { console.warn(error); });
      }
      return loading;
    }
    ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
      board.addEventListener(type, ensureRows, { once: true, passive: true });
    });

    headers.forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.dataset.key;
        ensureRows().then(function () {
          if (state.key === key) {
            state.dir = -state.dir;
          } else {
            state.key = key;
            state.dir = (TEXT_KEYS[key] || key === "rank" || key === "group") ? 1 : -1;
          }
          draw();
        });
      });
    });
    filter.addEventListener("input", function () {
      ensureRows().then(function () {
        state.filter = filter.value;
        state.limit = 100;
        draw();
      });
    });
    if (Number(board.dataset.total) > state.limit) {
      var more = el("button", "Show 100 more", "md-button");
      more.type = "button";
      more.addEventListener("click", function () {
        ensureRows().then(function () { state.limit += 100; draw(); });
      });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(more);
    }
  }

  /* ---- compare ---- */
  function rankOf(row, scope) {
    var shown = rankRange(row, scope);
    return shown === null ? "unranked \u2014 limited evidence" : shown + " of " + row["of_" + scope];
  }
  var METRICS = [
    ["Score", function (r, how) { return scoreLong(r, how); }],
    ["Rank overall", function (r) { return rankOf(r, "overall"); }],
    ["Rank in sector", function (r) {
      return rankRange(r, "sector") === null ? "unranked" : rankOf(r, "sector") + " (" + r.sector_name + ")";
    }],
    ["Grade", function (r) { return r.grade || "\u2014"; }],
    ["Tier", function (r) { return r.tier || "\u2014"; }],
    ["Probes", function (r) { return r.probes + (r.limited && r.ranked ? " (limited evidence)" : ""); }],
    ["Why unranked", function (r) { return r.why_unranked || "\u2014 (ranked)"; }, "unranked"],
    ["Reachability", function (r) { return r.reachability.toFixed(1); }],
    ["Speed", function (r) { return r.speed.toFixed(1); }],
    ["Quality", function (r) { return r.quality.toFixed(1); }],
    ["Transparency", function (r) { return r.transparency.toFixed(1); }],
    ["Respect", function (r) { return r.respect.toFixed(1); }]
  ];

  function initCompare(box) {
    var editions = JSON.parse(box.dataset.editions);
    var form = box.querySelector("form");
    var select = form.elements.edition;
    var input = form.elements.company;
    var list = box.querySelector("datalist");
    var tbody = box.querySelector("tbody");
    var status = box.querySelector(".ccr-compare-status");
    var params = new URLSearchParams(window.location.search);
    var state = { rows: {}, byName: {}, how: { decimals: 1, level: "" },
                  chosen: (params.get("c") || "").split(",").filter(Boolean) };
    if (params.get("edition")) { select.value = params.get("edition"); }

    function remember() {
      var q = new URLSearchParams({ edition: select.value, c: state.chosen.join(",") });
      window.history.replaceState(null, "", "?" + q.toString());
    }
    function draw() {
      tbody.textContent = "";
      var chosen = state.chosen.filter(function (s) { return state.rows[s]; });
      if (!chosen.length) { status.textContent = "No company chosen yet."; return; }
      var head = document.createElement("tr");
      head.appendChild(el("td"));
      chosen.forEach(function (slug) {
        var th = el("th");
        th.scope = "col";
        th.appendChild(companyLink(box.dataset.root, state.rows[slug]));
        var drop = el("button", "remove", "ccr-remove");
        drop.type = "button";
        drop.setAttribute("aria-label", "Remove " + state.rows[slug].name);
        drop.addEventListener("click", function () {
          state.chosen = state.chosen.filter(function (s) { return s !== slug; });
          remember();
          draw();
        });
        th.appendChild(document.createTextNode(" "));
        th.appendChild(drop);
        head.appendChild(th);
      });
      tbody.appendChild(head);
      var anyUnranked = chosen.some(function (slug) { return state.rows[slug].ranked === false; });
      METRICS.forEach(function (metric) {
        if (metric[2] === "unranked" && !anyUnranked) { return; }
        var tr = document.createElement("tr");
        var th = el("th", metric[0]);
        th.scope = "row";
        tr.appendChild(th);
        chosen.forEach(function (slug) {
          tr.appendChild(el("td", metric[1](state.rows[slug], state.how)));
        });
        tbody.appendChild(tr);
      });
      status.textContent = chosen.length + " companies side by side.";
    }
    function load() {
      var edition = editions.filter(function (e) { return e.id === select.value; })[0] || editions[0];
      fetch(edition.rows).then(function (r) { return r.json(); }).then(function (data) {
        state.rows = {};
        state.byName = {};
        state.how = boardHow(data);
        list.textContent = "";
        data.rows.forEach(function (r) {
          state.rows[r.slug] = r;
          state.byName[r.name.toLowerCase()] = r.slug;
          var option = document.createElement("option");
          option.value = r.name;
          list.appendChild(option);
        });
        draw();
        box.setAttribute("data-ready", "true");
      }).catch(function (error) { console.warn(error); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var wanted = input.value.trim();
      var slug = state.byName[wanted.toLowerCase()] || (state.rows[wanted] ? wanted : null);
      if (!slug) { status.textContent = "No company called \u201c" + wanted + "\u201d in this edition."; return; }
      if (state.chosen.indexOf(slug) === -1) { state.chosen.push(slug); }
      input.value = "";
      remember();
      draw();
    });
    select.addEventListener("change", function () { state.chosen = []; remember(); load(); });
    load();
  }

  drawCharts();
  redrawOnPaletteChange();
  document.querySelectorAll(".ccr-board").forEach(initBoard);
  document.querySelectorAll(".ccr-compare").forEach(initCompare);
}());
