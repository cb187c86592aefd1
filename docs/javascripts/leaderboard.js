/* Customer Care Review leaderboards in the browser: sort, field-aware filters and the reader's
   own weights, all kept in the address (reload or share it, the board comes back the same).
   Every string from the data is set with textContent, never as HTML.

   The page holds the first rows as HTML (benchmark/render/leaderboard.py writes the same cells);
   the whole board is fetched from /api/v1/leaderboards/<edition>.json on the first sign of use
   (pointer, focus, touch) or at once when the address asks for a sort, filter or weighting. */
(function () {
  "use strict";

  var SUBSCORES = ["reachability", "speed", "quality", "transparency", "respect"];
  var SHORT = { reachability: "reach", speed: "speed", quality: "quality",
                transparency: "transparency", respect: "respect" };
  var TEXT_KEYS = { name: 1, sector: 1, country: 1, grade: 1, tier: 1, why: 1 };
  var FILTERS = ["sector", "country", "grade", "evidence"];

  /* ---- cells, as benchmark/render/leaderboard.py writes them ---- */
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
  function fixed(n, decimals) { return Number(n).toFixed(decimals); }
  function srOnly(words) { return el("span", words, "ccr-sr"); }
  function scoreCell(row, how) {
    var td = el("td", null, "num");
    td.appendChild(document.createTextNode(fixed(row.score, how.decimals)));
    if (row.score_low !== null && row.score_low !== undefined) {
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
  function cell(board, row, key, how) {
    var scope = board.dataset.scope;
    if (key === "rank") { return rankCell(row, scope); }
    if (key === "group") { return el("td", row["group_" + scope], "num"); }
    if (key === "name") {
      var name = el("td", null, "ccr-name");
      var a = el("a", row.name);
      a.href = board.dataset.root + "companies/" + encodeURIComponent(row.slug) + "/";
      name.appendChild(a);
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
    if (key === "yours") { return el("td", row.yours.toFixed(1), "num ccr-yours"); }
    if (key === "grade") {
      var g = document.createElement("td");
      if (row.grade) {
        g.appendChild(el("span", row.grade, "ccr-grade ccr-grade-" + String(row.grade).toLowerCase()));
      } else {
        g.textContent = "\u2014";
      }
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

  /* ---- the page's shared state: filters and weights; each board keeps its sort ---- */
  var controls = document.querySelector(".ccr-board-controls");
  var nodes = Array.prototype.slice.call(document.querySelectorAll(".ccr-board"));
  if (!nodes.length) { return; }
  var ccrWeights = controls ? JSON.parse(controls.dataset.weights) : null;
  var page = { filters: { sector: "", country: "", grade: "", evidence: "" }, weights: null };
  var fetched = {};

  function fetchRows(url) {
    if (!fetched[url]) {
      fetched[url] = fetch(url).then(function (r) { return r.json(); });
    }
    return fetched[url];
  }
  function custom(weights) {
    return weights !== null && SUBSCORES.some(function (k) { return weights[k] !== ccrWeights[k]; });
  }
  function yours(row) {
    var total = 0, sum = 0;
    SUBSCORES.forEach(function (k) { total += page.weights[k]; sum += page.weights[k] * row[k]; });
    return total ? sum / total : row.score;
  }
  function weightsWords(weights) {
    return SUBSCORES.map(function (k) { return SHORT[k] + " " + weights[k]; }).join(", ");
  }

  function makeBoard(node) {
    var table = node.querySelector("table");
    var tbody = table.tBodies[0];
    var status = node.querySelector(".ccr-board-status");
    var note = node.querySelector(".ccr-board-tools");
    var box = node.querySelector(".ccr-scroll");
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var scope = node.dataset.scope;
    var part = node.dataset.part;
    var first = headers.filter(function (th) { return th.hasAttribute("aria-sort"); })[0];
    var board = { node: node, part: part, key: first ? first.dataset.key : "rank", dir: 1,
                  rows: [], limit: 100, how: { decimals: 1, level: "" }, ready: false };
    board.defaultKey = board.key;

    /* "Your score" column, after CCR's score: shown only while the reader's weights differ. */
    var score = headers.filter(function (th) { return th.dataset.key === "score"; })[0];
    var yoursTh = el("th", null, "num");
    yoursTh.scope = "col";
    yoursTh.dataset.key = "yours";
    yoursTh.title = "Your score: the sub-scores weighted by your sliders, not CCR's score";
    yoursTh.appendChild(el("button", "Your score")).type = "button";
    yoursTh.hidden = true;
    if (score) { score.parentNode.insertBefore(yoursTh, score.nextSibling); }
    headers = Array.prototype.slice.call(table.tHead.rows[0].cells);

    function sortValue(row, key) {
      if (key === "sector") { return row.sector_name; }
      if (key === "movement") { return row.movement === null ? -Infinity : row.movement; }
      if (key === "group") { return row["group_" + scope]; }
      if (key === "why") { return row.why_short; }
      if (key === "grade" || key === "tier") { return row[key] || ""; }
      if (key === "rank") { return row.rank === null ? Infinity : row.rank; }
      return row[key];
    }
    function shown(row) {
      var f = page.filters;
      return (!f.sector || row.sector === f.sector) && (!f.country || row.country === f.country) &&
        (!f.grade || row.grade === f.grade);
    }
    board.draw = function () {
      var weighted = custom(page.weights);
      var hiddenPart = page.filters.evidence && page.filters.evidence !== part;
      box.hidden = hiddenPart;
      yoursTh.hidden = !weighted;
      if (!weighted && board.key === "yours") { board.key = board.defaultKey; board.dir = 1; }
      var keys = headers.filter(function (th) { return !th.hidden; })
        .map(function (th) { return th.dataset.key; });
      board.rows.forEach(function (r) { r.yours = weighted ? yours(r) : r.score; });
      var rows = board.rows.filter(shown);
      rows.sort(function (a, b) {
        var x = sortValue(a, board.key), y = sortValue(b, board.key);
        var order = TEXT_KEYS[board.key] ? String(x).localeCompare(String(y)) : x - y;
        return order * board.dir || sortValue(a, "rank") - sortValue(b, "rank") ||
          a.name.localeCompare(b.name);
      });
      tbody.textContent = "";
      rows.slice(0, board.limit).forEach(function (row) {
        var tr = document.createElement("tr");
        keys.forEach(function (key) { tr.appendChild(cell(node, row, key, board.how)); });
        tbody.appendChild(tr);
      });
      headers.forEach(function (th) {
        if (th.dataset.key === board.key) {
          th.setAttribute("aria-sort", board.dir === 1 ? "ascending" : "descending");
        } else {
          th.removeAttribute("aria-sort");
        }
      });
      note.hidden = !weighted || hiddenPart;
      note.textContent = weighted ? "Ordered by your own weights (" + weightsWords(page.weights) +
        "), not CCR's. CCR's score, ranks and grades are as published." : "";
      if (hiddenPart) {
        status.textContent = "Not shown: the evidence filter shows " +
          (page.filters.evidence === "ranked" ? "ranked" : "unranked") + " companies only.";
        return;
      }
      var filtered = FILTERS.some(function (f) { return f !== "evidence" && page.filters[f]; });
      status.textContent = "Showing " + Math.min(rows.length, board.limit) + " of " + rows.length +
        " companies" + (filtered ? " matching the filters" : "") + ".";
      if (rows.length > board.limit) {
        var more = el("button", "Show 100 more", "md-button");
        more.type = "button";
        more.addEventListener("click", function () { board.limit += 100; board.draw(); });
        status.appendChild(document.createTextNode(" "));
        status.appendChild(more);
      }
    };
    board.load = function () {
      return fetchRows(node.dataset.rows).then(function (data) {
        if (board.ready) { return board; }
        board.how = { decimals: data.score_decimals === undefined ? 1 : data.score_decimals,
                      level: data.interval ? Math.round(data.interval * 100) + "\u00a0%" : "" };
        board.rows = data.rows.filter(function (r) {
          return (scope === "overall" || r[scope] === node.dataset.value) &&
            (r.ranked !== false) === (part !== "unranked");
        }).map(function (r) {
          var row = Object.assign({}, r);
          row.rank = r["rank_" + scope];
          return row;
        });
        board.ready = true;
        node.setAttribute("data-ready", "true");
        return board;
      });
    };
    headers.forEach(function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.dataset.key;
        board.load().then(function () {
          if (board.key === key) {
            board.dir = -board.dir;
          } else {
            board.key = key;
            board.dir = (TEXT_KEYS[key] || key === "rank" || key === "group") ? 1 : -1;
          }
          board.draw();
          remember();
        });
      });
    });
    if (Number(node.dataset.total) > board.limit) {
      var more = el("button", "Show 100 more", "md-button");
      more.type = "button";
      more.addEventListener("click", function () {
        board.load().then(function () { board.limit += 100; board.draw(); });
      });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(more);
    }
    return board;
  }

  var boards = nodes.map(makeBoard);
  function loadAll() {
    return Promise.all(boards.map(function (b) { return b.load(); }));
  }
  function drawAll() {
    return loadAll().then(function () { boards.forEach(function (b) { b.draw(); }); });
  }
  ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
    nodes.concat(controls ? [controls] : []).forEach(function (node) {
      node.addEventListener(type, function () { loadAll().catch(console.warn); },
                            { once: true, passive: true });
    });
  });

  /* ---- the address: ?sector=&country=&grade=&evidence=&sort=score.desc&usort=&w=30.25.25.10.10 ---- */
  function sortParam(board) { return board.part === "unranked" ? "usort" : "sort"; }
  function remember() {
    var q = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (f) {
      if (page.filters[f]) { q.set(f, page.filters[f]); } else { q.delete(f); }
    });
    boards.forEach(function (b) {
      if (b.key === b.defaultKey && b.dir === 1) { q.delete(sortParam(b)); return; }
      q.set(sortParam(b), b.key + (b.dir === 1 ? ".asc" : ".desc"));
    });
    if (custom(page.weights)) {
      q.set("w", SUBSCORES.map(function (k) { return page.weights[k]; }).join("."));
    } else {
      q.delete("w");
    }
    var search = q.toString();
    window.history.replaceState(null, "", window.location.pathname + (search ? "?" + search : "") +
                                window.location.hash);
  }
  function restore() {
    var q = new URLSearchParams(window.location.search);
    var asked = false;
    if (controls) {
      FILTERS.forEach(function (f) {
        var select = controls.elements[f];
        var value = q.get(f) || "";
        if (select && value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
          select.value = value;
          page.filters[f] = value;
          asked = true;
        }
      });
      var w = (q.get("w") || "").split(".").map(Number);
      if (w.length === SUBSCORES.length && w.every(function (n) { return n >= 0 && n <= 100; })) {
        page.weights = {};
        SUBSCORES.forEach(function (k, i) { page.weights[k] = w[i]; });
        asked = true;
        if (!q.get("sort")) { boards[0].key = "yours"; boards[0].dir = -1; }
      }
    }
    boards.forEach(function (b) {
      var wanted = (q.get(sortParam(b)) || "").split(".");
      var keys = Array.prototype.map.call(b.node.querySelectorAll("thead th"),
                                          function (th) { return th.dataset.key; });
      if (wanted.length === 2 && keys.indexOf(wanted[0]) !== -1) {
        b.key = wanted[0];
        b.dir = wanted[1] === "desc" ? -1 : 1;
        asked = true;
      }
    });
    return asked;
  }

  /* ---- the controls ---- */
  function showWeights() {
    var weights = page.weights || ccrWeights;
    SUBSCORES.forEach(function (k) {
      var input = controls.elements[k];
      input.value = String(weights[k]);
      input.nextElementSibling.textContent = String(weights[k]);
      input.setAttribute("aria-valuetext", weights[k] + (custom(page.weights) ? " (yours)" : " (CCR's)"));
    });
  }
  if (controls) {
    controls.hidden = false;
    controls.addEventListener("submit", function (event) { event.preventDefault(); });
    FILTERS.forEach(function (f) {
      var select = controls.elements[f];
      if (!select) { return; }
      select.addEventListener("change", function () {
        page.filters[f] = select.value;
        boards.forEach(function (b) { b.limit = 100; });
        drawAll().then(remember);
      });
    });
    SUBSCORES.forEach(function (k) {
      controls.elements[k].addEventListener("input", function () {
        var was = custom(page.weights);
        page.weights = page.weights || Object.assign({}, ccrWeights);
        page.weights[k] = Number(controls.elements[k].value);
        var now = custom(page.weights);
        if (now && !was) { boards[0].key = "yours"; boards[0].dir = -1; }
        if (!now) { page.weights = null; }
        showWeights();
        drawAll().then(remember);
      });
    });
    controls.querySelector(".ccr-reset").addEventListener("click", function () {
      page.weights = null;
      boards.forEach(function (b) { b.key = b.defaultKey; b.dir = 1; });
      showWeights();
      drawAll().then(remember);
    });
  }
  if (restore()) {
    if (controls) {
      showWeights();
      if (custom(page.weights)) { controls.querySelector(".ccr-weights").open = true; }
    }
    drawAll().catch(console.warn);
  }
}());
