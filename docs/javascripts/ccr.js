/* Customer Care Review in the browser: charts drawn by the site's own Vega bundle (loaded
   only on pages that have a chart), and the compare page; leaderboards are leaderboard.js's.
   Every string from the data is set with textContent, never as HTML. */
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

  /* Small multiples (a faceted spec) cannot take their container's width in Vega-Lite: each
     panel gets the box's width less the room its labels need (usermeta.ccrFitFacets), and
     is drawn again when the box's width changes. */
  function fitted(spec, box) {
    var room = spec.usermeta && spec.usermeta.ccrFitFacets;
    if (!room || !spec.spec) { return spec; }
    box.setAttribute("data-fit", String(box.clientWidth));
    var inner = Object.assign({}, spec.spec, { width: Math.max(120, box.clientWidth - room) });
    return Object.assign({}, spec, { spec: inner });
  }
  function refitOnResize() {
    var waiting = null;
    window.addEventListener("resize", function () {
      clearTimeout(waiting);
      waiting = setTimeout(function () {
        document.querySelectorAll(".ccr-chart[data-fit][data-rendered]").forEach(function (box) {
          if (box.getAttribute("data-fit") === String(box.clientWidth)) { return; }
          box.removeAttribute("data-rendered");
          loadVega(box.getAttribute("data-vega")).then(function (embed) { drawChart(box, embed); });
        });
      }, 200);
    });
  }

  /* Vega draws into a layer of its own inside the box; a report or home chart's build-time
     SVG (img.ccr-static) stays over it until the interactive view has been drawn. */
  function liveLayer(box) {
    var live = box.querySelector(".ccr-live");
    if (!live) {
      live = document.createElement("div");
      live.className = "ccr-live";
      box.appendChild(live);
    }
    return live;
  }

  function drawChart(box, embed) {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var live = liveLayer(box);
    fetch(box.getAttribute("data-spec"))
      .then(function (r) { return r.json(); })
      .then(function (spec) {
        if (box.ccrView) { box.ccrView.finalize(); box.ccrView = null; }
        return embed(live, fitted(spec, box), { actions: false, renderer: "svg",
                                   theme: dark ? "dark" : undefined,
                                   config: { background: null } });
      })
      .then(function (result) {
        box.ccrView = result;
        var still = box.querySelector(".ccr-static");
        if (still) { box.removeChild(still); }
        box.setAttribute("data-scheme", dark ? "slate" : "default");
        box.setAttribute("data-rendered", "true");
      })
      .catch(function (error) { notDrawn(box, error); });
  }

  /* A chart Vega could not draw (or whose bundle did not load) keeps its static SVG if it
     has one; otherwise its box says so, the data table below it stays. */
  function notDrawn(box, error) {
    console.warn(error);
    if (box.querySelector(".ccr-static")) { return; }
    box.textContent = "The chart could not be drawn; its data is in the table below.";
  }

  /* The bundle is asked for once the chart's static SVG is on screen (or has failed), so
     the two never share a slow connection: the reader sees the chart first. */
  function staticShown(box) {
    var img = box.querySelector(".ccr-static");
    if (!img || img.complete) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      img.addEventListener("load", resolve);
      img.addEventListener("error", resolve);
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
      staticShown(box)
        .then(function () { return loadVega(src); })
        .then(function (embed) { drawChart(box, embed); })
        .catch(function (error) { notDrawn(box, error); });
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
  function boardHow(data) {
    return { decimals: data.score_decimals === undefined ? 1 : data.score_decimals,
             level: data.interval ? Math.round(data.interval * 100) + "\u00a0%" : "" };
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
  refitOnResize();
  document.querySelectorAll(".ccr-compare").forEach(initCompare);
}());
