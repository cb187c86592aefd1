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
        return embed(box, spec, { actions: false, renderer: "svg",
                                  theme: dark ? "dark" : undefined,
                                  config: { background: null } });
      })
      .then(function () { box.setAttribute("data-rendered", "true"); })
      .catch(function (error) {
        box.textContent = "The chart could not be drawn; its data is in the table below.";
        console.warn(error);
      });
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

  /* ---- leaderboards ---- */
  var SUBSCORES = ["reachability", "speed", "quality", "transparency", "respect"];
  var TEXT_KEYS = { name: 1, sector: 1, country: 1, grade: 1, tier: 1 };

  function boardCells(board, row) {
    var name = document.createElement("td");
    name.appendChild(companyLink(board.dataset.root, row));
    if (row.limited) {
      var sup = el("sup", "\u2020");
      sup.title = "limited evidence: fewer probes than the methodology asks for";
      name.appendChild(sup);
    }
    var cells = [el("td", row.rank, "num"), name, el("td", row.sector_name),
                 el("td", row.country), el("td", row.score.toFixed(1), "num")];
    var g = document.createElement("td");
    g.appendChild(grade(row.grade));
    cells.push(g, el("td", row.tier));
    SUBSCORES.forEach(function (s) { cells.push(el("td", row[s].toFixed(1), "num")); });
    cells.push(el("td", row.probes, "num"),
               el("td", row.movement === null ? "new" : signed(row.movement), "num"));
    return cells;
  }

  function initBoard(board) {
    var table = board.querySelector("table");
    var tbody = table.tBodies[0];
    var status = board.querySelector(".ccr-board-status");
    var filter = board.querySelector(".ccr-filter");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var scope = board.dataset.scope;
    var state = { rows: [], key: "rank", dir: 1, filter: "", limit: 100 };

    function sortValue(row, key) {
      if (key === "sector") { return row.sector_name; }
      if (key === "movement") { return row.movement === null ? -Infinity : row.movement; }
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
        return order * state.dir || a.rank - b.rank || a.name.localeCompare(b.name);
      });
      tbody.textContent = "";
      rows.slice(0, state.limit).forEach(function (row) {
        var tr = document.createElement("tr");
        boardCells(board, row).forEach(function (td) { tr.appendChild(td); });
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
            state.rows = data.rows.filter(function (r) {
              return scope === "overall" || r[scope] === board.dataset.value;
            });
            state.rows.forEach(function (r) {
              r.rank = r["rank_" + scope];
              r.haystack = [r.name, r.slug, r.sector_name, r.country, r.country_name, r.grade,
                            r.tier].join(" ").toLowerCase();
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
            state.dir = (TEXT_KEYS[key] || key === "rank") ? 1 : -1;
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
  var METRICS = [
    ["Score", function (r) { return r.score.toFixed(1); }],
    ["Grade", function (r) { return r.grade; }],
    ["Tier", function (r) { return r.tier; }],
    ["Rank overall", function (r) { return r.rank_overall; }],
    ["Rank in sector", function (r) { return r.rank_sector + " (" + r.sector_name + ")"; }],
    ["Reachability", function (r) { return r.reachability.toFixed(1); }],
    ["Speed", function (r) { return r.speed.toFixed(1); }],
    ["Quality", function (r) { return r.quality.toFixed(1); }],
    ["Transparency", function (r) { return r.transparency.toFixed(1); }],
    ["Respect", function (r) { return r.respect.toFixed(1); }],
    ["Probes", function (r) { return r.probes + (r.limited ? " (limited evidence)" : ""); }]
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
    var state = { rows: {}, byName: {}, chosen: (params.get("c") || "").split(",").filter(Boolean) };
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
      METRICS.forEach(function (metric) {
        var tr = document.createElement("tr");
        var th = el("th", metric[0]);
        th.scope = "row";
        tr.appendChild(th);
        chosen.forEach(function (slug) { tr.appendChild(el("td", metric[1](state.rows[slug]))); });
        tbody.appendChild(tr);
      });
      status.textContent = chosen.length + " companies side by side.";
    }
    function load() {
      var edition = editions.filter(function (e) { return e.id === select.value; })[0] || editions[0];
      fetch(edition.rows).then(function (r) { return r.json(); }).then(function (data) {
        state.rows = {};
        state.byName = {};
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
  document.querySelectorAll(".ccr-board").forEach(initBoard);
  document.querySelectorAll(".ccr-compare").forEach(initCompare);
}());
