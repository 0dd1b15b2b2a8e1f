// The timeline's zoom and brush. The chart is server-drawn SVG (timeline_svg.py) whose
// <svg> carries its time scale: data-start / data-end (ISO days), data-margin and
// data-width (viewBox units) and data-dir ("rtl": time runs right to left).
// Dragging across the chart selects a date range (the brush); the bar under it then
// offers that range here, on the map and in the list. The zoom buttons narrow or widen
// the shown range. Everything ends as the filter form's date_from / date_to, so the
// page, the map and the list are all filtered by one query string, and the server
// redraws the axis for the new range (in the reader's digits, as the rest of the page). The range
// this script writes on the brush bar is in them too (app.js); the form's dates stay 0-9, as typed values.
(function () {
  "use strict";
  var svg = document.querySelector("svg.timeline-svg[data-start]");
  var form = document.querySelector("form.viz-filters");
  if (!svg || !form) {
    return;
  }
  var tools = document.querySelector("[data-testid=timeline-tools]");
  var bar = document.querySelector("[data-testid=timeline-brush-bar]");
  var DAY = 86400000;
  var t0 = Date.parse(svg.getAttribute("data-start") + "T00:00:00Z");
  var t1 = Date.parse(svg.getAttribute("data-end") + "T00:00:00Z");
  var margin = Number(svg.getAttribute("data-margin")) || 0;
  var width = Number(svg.getAttribute("data-width")) || 1000;
  var rtl = svg.getAttribute("data-dir") === "rtl";
  var NUM = window.TawthiqNumbers || { digits: String };
  if (!isFinite(t0) || !isFinite(t1) || t1 <= t0) {
    return;
  }

  function iso(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  // A point of the screen -> the chart's viewBox x -> a time (clamped to the axis).
  function viewX(clientX) {
    var box = svg.getBoundingClientRect();
    return (clientX - box.left) * width / box.width;
  }

  function timeAt(x) {
    var share = (x - margin) / (width - 2 * margin);
    share = Math.min(1, Math.max(0, rtl ? 1 - share : share));
    return t0 + share * (t1 - t0);
  }

  // Fill in the form's dates and send it: the server filters and redraws.
  function apply(from, to) {
    var f = form.querySelector("[name=date_from]");
    var t = form.querySelector("[name=date_to]");
    if (!f || !t) {
      return;
    }
    f.value = from ? iso(from) : "";
    t.value = to ? iso(to) : "";
    form.submit();
  }

  function withDates(base, from, to) {
    var url = new URL(base, window.location.href);
    var params = new URLSearchParams(window.location.search);
    if (url.search) {
      params = new URLSearchParams(url.search); // the list link carries its own status default
    }
    params.set("date_from", iso(from));
    params.set("date_to", iso(to));
    params.delete("page");
    return url.pathname + "?" + params.toString();
  }

  // ------------------------------------------------------------------ zoom
  if (tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      var mid = (t0 + t1) / 2;
      var half = (t1 - t0) / 2;
      var how = button.getAttribute("data-zoom");
      if (how === "in") {
        apply(mid - half / 2, mid + half / 2 - DAY);
      } else if (how === "out") {
        apply(mid - half * 2, mid + half * 2);
      } else {
        apply(null, null);
      }
    });
  }

  // ----------------------------------------------------------------- brush
  var ns = "http://www.w3.org/2000/svg";
  var shade = document.createElementNS(ns, "rect");
  shade.setAttribute("class", "tl-brush");
  shade.setAttribute("y", "0");
  shade.setAttribute("height", String(svg.viewBox.baseVal.height));
  shade.setAttribute("width", "0");
  shade.setAttribute("data-testid", "timeline-brush");
  svg.appendChild(shade);
  var start = null;
  var chosen = null;

  function show(x0, x1) {
    var lo = Math.max(margin, Math.min(x0, x1));
    var hi = Math.min(width - margin, Math.max(x0, x1));
    shade.setAttribute("x", lo.toFixed(1));
    shade.setAttribute("width", Math.max(0, hi - lo).toFixed(1));
  }

  function clear() {
    chosen = null;
    shade.setAttribute("width", "0");
    if (bar) {
      bar.hidden = true;
    }
  }

  svg.addEventListener("pointerdown", function (event) {
    if (event.button !== 0 || event.target.closest("a")) {
      return; // a mark is a link: clicking it opens the incident
    }
    start = viewX(event.clientX);
    show(start, start);
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", function (event) {
    if (start !== null) {
      show(start, viewX(event.clientX));
    }
  });
  svg.addEventListener("pointerup", function (event) {
    if (start === null) {
      return;
    }
    var end = viewX(event.clientX);
    var a = timeAt(start);
    var b = timeAt(end);
    start = null;
    if (Math.abs(b - a) < DAY) {
      clear(); // a click, not a drag
      return;
    }
    var from = Math.floor(Math.min(a, b) / DAY) * DAY;
    var to = Math.floor(Math.max(a, b) / DAY) * DAY;
    chosen = [from, to];
    if (bar) {
      var applyButton = bar.querySelector("[data-brush=apply]");
      applyButton.textContent = (bar.getAttribute("data-apply") || "{from} – {to}")
        .replace("{from}", NUM.digits(iso(from))).replace("{to}", NUM.digits(iso(to)));
      bar.querySelector("[data-brush=map]").setAttribute("href", withDates(bar.getAttribute("data-map-base"), from, to));
      var listLink = document.querySelector("[data-testid=list-link]");
      bar.querySelector("[data-brush=list]").setAttribute("href",
        withDates(listLink ? listLink.getAttribute("href") : bar.getAttribute("data-list-base"), from, to));
      bar.hidden = false;
    }
  });
  if (bar) {
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-brush]");
      if (!button) {
        return;
      }
      if (button.getAttribute("data-brush") === "apply" && chosen) {
        apply(chosen[0], chosen[1]);
      } else {
        clear();
      }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      clear();
    }
  });
})();
