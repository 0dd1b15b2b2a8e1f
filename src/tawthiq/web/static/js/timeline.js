// The timeline's zoom and brush. The chart is server-drawn SVG (timeline_svg.py) whose
// <svg> carries its time scale: data-start / data-end (ISO days), data-margin and
// data-width (viewBox units) and data-dir ("rtl": time runs right to left).
// Dragging across the chart selects a date range (the brush); the bar under it then
// offers that range here, on the map and in the list. The zoom buttons narrow or widen
// the shown range, and the whole-range button goes back to the range the page was read with.
// Zooming in narrows around the incidents (the brushed range's, else the middle one of those
// shown), not the range's middle, which may be an empty gap when the data sit at one end. A range
// shorter than a year is the axis itself, so a dense month spreads out over weeks and then days,
// down to a week (labelled day by day), where the zoom-in button is disabled.
//
// A range within the incidents already on the page (the JSON block #timeline-data: all of
// them, not a truncated selection, and inside the date filter the page was read with) is
// redrawn here (timeline_draw.js, a port of the server's drawing), with no page load: the
// table, the count, the filter form's dates and its links follow, and the address takes the
// range (history.replaceState), so a reload or a bookmark asks the server for the same view.
// Any other range is asked of the server, by sending the filter form with the dates filled in.
// Without this script the server's chart and the filter form work as they are.
//
// The interface's figures drawn here are in the reader's digits (app.js), as the server writes
// the rest of the page; the form's and the address's dates stay 0-9, as typed values.
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
  var DRAW = window.TawthiqTimelineDraw;
  if (!isFinite(t0) || !isFinite(t1) || t1 <= t0) {
    return;
  }

  // ------------------------------------------------------ what the page holds
  var data = null;
  var block = document.getElementById("timeline-data");
  if (block && DRAW) {
    try {
      data = JSON.parse(block.textContent);
    } catch (ignored) {
      data = null; // without it, every range is asked of the server
    }
  }
  var items = data ? data.items.map(DRAW.parse) : [];
  var loaded = data ? [data.from ? DRAW.dayOf(data.from) : null, data.to ? DRAW.dayOf(data.to) : null] : [null, null];
  var range = loaded.slice(); // the date filter shown now (days; null: open)
  var count = document.querySelector("[data-testid=timeline-count]");
  var countText = count ? count.textContent : "";
  var countTotal = count ? count.getAttribute("data-total") : "";
  var chart = document.querySelector("[data-testid=timeline-chart]");
  var rows = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-testid=timeline-row]"), function (row) {
    rows[row.getAttribute("data-incident-id")] = row;
  });

  function iso(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  // Whether [from, to] (days; null: open) can be drawn from the incidents on the page and say what the
  // server would: all of them are here, the range lies inside the one the page was read with, and no
  // cluster left out might be drawn through another of its members inside the range.
  function drawable(from, to) {
    if (!data || !data.complete) {
      return false;
    }
    if ((loaded[0] !== null && (from === null || from < loaded[0])) ||
        (loaded[1] !== null && (to === null || to > loaded[1]))) {
      return false;
    }
    return items.every(function (item) {
      return DRAW.overlaps(item.start, item.end, from, to) || !item.span ||
        !DRAW.overlaps(item.span[0], item.span[1], from, to);
    });
  }

  // ------------------------------------------------------------ the server's way
  // Fill in the form's dates and send it: the server filters and redraws.
  function submit(from, to) {
    var f = form.querySelector("[name=date_from]");
    var t = form.querySelector("[name=date_to]");
    if (!f || !t) {
      return;
    }
    f.value = from !== null ? iso(from) : "";
    t.value = to !== null ? iso(to) : "";
    form.submit();
  }

  // --------------------------------------------------------------- in the page
  function withRange(href, from, to) {
    var url = new URL(href, window.location.href);
    var params = new URLSearchParams(url.search);
    [["date_from", from], ["date_to", to]].forEach(function (pair) {
      if (pair[1] === null) {
        params.delete(pair[0]);
      } else {
        params.set(pair[0], DRAW.iso(pair[1]));
      }
    });
    params.delete("page");
    var query = params.toString();
    return url.pathname + (query ? "?" + query : "");
  }

  function showEmpty(text) {
    var empty = document.querySelector("[data-testid=timeline-empty]");
    if (text === null) {
      if (empty) {
        empty.parentNode.removeChild(empty);
      }
      return;
    }
    if (!empty) {
      empty = document.createElement("p");
      empty.className = "notice";
      empty.setAttribute("data-testid", "timeline-empty");
      chart.parentNode.insertBefore(empty, chart);
    }
    empty.textContent = text;
  }

  // Redraw [from, to] (days; null: open) from the page's incidents, and make the page say it.
  function show(from, to) {
    range = [from, to];
    var shown = items.filter(function (item) {
      return DRAW.overlaps(item.start, item.end, from, to);
    });
    var axis = DRAW.draw(svg, shown, { rtl: rtl, texts: data.texts, range: [from, to], months: data.months });
    svg.appendChild(shade); // the brush stays on top of the new drawing
    chart.hidden = axis === null;
    showEmpty(axis === null ? data.texts.empty : null);
    if (axis !== null) {
      t0 = axis[0] * DAY;
      t1 = axis[1] * DAY;
      deepest();
    }
    var ids = {};
    shown.forEach(function (item) {
      ids[item.id] = true;
    });
    Object.keys(rows).forEach(function (id) {
      rows[id].hidden = !ids[id];
    });
    var whole = from === loaded[0] && to === loaded[1];
    if (count) {
      // The range the page was read with says what the server said (undated, truncated); any other
      // is all drawn and dated, as the server would count it.
      count.textContent = whole ? countText :
        DRAW.fill(data.texts.count, { n: NUM.digits(String(shown.length)) });
      count.setAttribute("data-shown", String(shown.length));
      count.setAttribute("data-total", whole ? countTotal : String(shown.length));
    }
    var f = form.querySelector("[name=date_from]");
    var t = form.querySelector("[name=date_to]");
    if (f && t) {
      f.value = from !== null ? DRAW.iso(from) : "";
      t.value = to !== null ? DRAW.iso(to) : "";
    }
    var listLink = document.querySelector("[data-testid=list-link]");
    if (listLink) {
      listLink.setAttribute("href", withRange(listLink.getAttribute("href"), from, to));
    }
    var address = withRange(window.location.href, from, to);
    window.history.replaceState(window.history.state, "", address);
    var back = document.querySelector("[data-testid=language-next]");
    if (back) {
      back.value = address; // the language switch comes back to this range
    }
    var reset = tools && tools.querySelector("[data-zoom=reset]");
    if (reset) {
      reset.hidden = from === null && to === null;
    }
  }

  function zoom(from, to) {
    if (drawable(from, to)) {
      show(from, to);
    } else {
      submit(from === null ? null : from * DAY, to === null ? null : to * DAY);
    }
  }

  function days(ms) {
    return Math.floor(ms / DAY);
  }

  // The zoom goes down to MIN_ZOOM_DAYS (a week, labelled day by day): there, zooming in is offered no more.
  var MIN_ZOOM_DAYS = DRAW ? DRAW.MIN_ZOOM_DAYS : 7;
  var zoomInButton = tools && tools.querySelector("[data-zoom=in]");

  function deepest() {
    if (zoomInButton) {
      zoomInButton.disabled = days(t1) - days(t0) <= MIN_ZOOM_DAYS;
    }
  }

  // Half the axis (never under MIN_ZOOM_DAYS), around the incidents shown (DRAW.focus: the one nearest a
  // brushed range's middle, else the middle one in time) and kept inside the axis, so the narrower range
  // holds at least that incident. With no incident on the page to go by (a page without its data block), the axis's middle.
  function zoomIn(brushed) {
    var lo = days(t0);
    var hi = days(t1) - 1; // t1 is the day after the axis's last
    var seenLo = range[0] === null ? lo : Math.max(lo, range[0]);
    var seenHi = range[1] === null ? hi : Math.min(hi, range[1]);
    var near = brushed ? days((brushed[0] + brushed[1]) / 2) : null;
    var centre = DRAW && seenLo <= seenHi ? DRAW.focus(items, seenLo, seenHi, near) : null;
    if (hi - lo + 1 <= MIN_ZOOM_DAYS) {
      return; // as deep as the axis goes
    }
    var width = Math.max(MIN_ZOOM_DAYS, Math.round((hi - lo + 1) / 2));
    if (centre === null) {
      centre = Math.floor((lo + hi) / 2);
    }
    // Moved, not shrunk, to stay inside the axis: the centre stays inside the new range.
    var first = Math.max(lo, Math.min(centre - Math.floor(width / 2), hi - width + 1));
    zoom(first, first + width - 1);
  }

  // ------------------------------------------------------------------ zoom
  if (tools) {
    tools.hidden = false;
    deepest();
    tools.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) {
        return;
      }
      var brushed = chosen;
      clear();
      var mid = (t0 + t1) / 2;
      var half = (t1 - t0) / 2;
      var how = button.getAttribute("data-zoom");
      if (how === "in") {
        zoomIn(brushed);
      } else if (how === "out") {
        zoom(days(mid - half * 2), days(mid + half * 2));
      } else {
        zoom(null, null);
      }
    });
  }

  // ----------------------------------------------------------------- brush
  var ns = "http://www.w3.org/2000/svg";
  var shade = document.createElementNS(ns, "rect");
  shade.setAttribute("class", "tl-brush");
  shade.setAttribute("y", "0");
  shade.setAttribute("width", "0");
  shade.setAttribute("data-testid", "timeline-brush");
  svg.appendChild(shade);
  var start = null;
  var chosen = null;

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

  function paint(x0, x1) {
    var lo = Math.max(margin, Math.min(x0, x1));
    var hi = Math.min(width - margin, Math.max(x0, x1));
    shade.setAttribute("height", String(svg.viewBox.baseVal.height));
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
    paint(start, start);
    svg.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  svg.addEventListener("pointermove", function (event) {
    if (start !== null) {
      paint(start, viewX(event.clientX));
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
      bar.querySelector("[data-brush=map]").setAttribute("href",
        withRange(bar.getAttribute("data-map-base") + window.location.search, days(from), days(to)));
      var listLink = document.querySelector("[data-testid=list-link]");
      bar.querySelector("[data-brush=list]").setAttribute("href",
        withRange(listLink ? listLink.getAttribute("href") : bar.getAttribute("data-list-base"), days(from),
                  days(to)));
      bar.hidden = false;
    }
  });
  if (bar) {
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-brush]");
      if (!button) {
        return;
      }
      var range = chosen;
      clear();
      if (button.getAttribute("data-brush") === "apply" && range) {
        zoom(days(range[0]), days(range[1]));
      }
    });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      clear();
    }
  });
})();
