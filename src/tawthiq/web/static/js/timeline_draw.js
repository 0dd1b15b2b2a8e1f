// The timeline's drawing in the browser: a port of web/timeline_svg.py (keep the two in step), so a
// range chosen by zoom or brush among the incidents already on the page is redrawn exactly as the server
// would draw the same address, with no page load. The incidents come from the page's JSON block
// (timeline_svg.timeline_data): [id, first day, last day, colour group, tooltip, (cluster's first day,
// last day)], days as ISO, the open ends as 0001-01-01 and 9999-12-31.
//
// The monthly bars are counted from those incidents as stats/histogram.py counts them: an exact day, a
// known month, or a range spread over every month it may fall in (up to MAX_SPREAD_MONTHS). Everything is
// built with DOM calls (textContent, setAttribute), never parsed markup: tooltips are report data.
// The interface's own figures (axis labels, the bars' tooltips) go through the shared formatter (app.js)
// in the reader's digits; the marks' tooltips come written in them from the server.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var DAY = 86400000;
  var WIDTH = 1000;
  var MARGIN = 12;
  var HIST_HEIGHT = 90;
  var AXIS_HEIGHT = 26;
  var LANE_HEIGHT = 14;
  var LANE_GAP = 3;
  var MAX_LANES = 120;
  var MIN_MARK = 10;
  var MIN_SPAN_DAYS = 365;
  var MIN_ZOOM_DAYS = 7; // the narrowest axis a zoom reaches: a week, a tick for each day
  var DAY_TICKS_DAYS = 140; // an axis this short or shorter is labelled in days
  var DAY_STEPS = [[10, 1], [20, 2], [50, 5], [92, 10], [DAY_TICKS_DAYS, 15]]; // [axis up to, days between labels]
  var MAX_SPREAD_MONTHS = 24;
  var MAX_BARS = 600;
  var CLASS_SAFE = /^[a-z][a-z0-9-]*$/;
  var FIRST = "0001-01-01";
  var LAST = "9999-12-31";
  var NUM = window.TawthiqNumbers || { digits: String };
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]; // fallback

  // Days are whole numbers of days since 1970-01-01 (UTC), so none of this depends on the reader's zone.
  function dayOf(iso) {
    return Math.round(Date.parse(iso + "T00:00:00Z") / DAY);
  }

  function parts(day) {
    var d = new Date(day * DAY);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate() };
  }

  function dayFrom(y, m, d) {
    var date = new Date(0);
    date.setUTCFullYear(y, m, d); // not Date.UTC: it reads a year below 100 as 19xx
    return Math.round(date.getTime() / DAY);
  }

  function iso(day) {
    return new Date(day * DAY).toISOString().slice(0, 10);
  }

  function monthStart(day) {
    var p = parts(day);
    return dayFrom(p.y, p.m, 1);
  }

  function nextMonth(day) {
    var p = parts(day);
    return dayFrom(p.y, p.m + 1, 1);
  }

  function monthNumber(day) { // year * 12 + month - 1, as the database's month_number
    var p = parts(day);
    return p.y * 12 + p.m;
  }

  function monthDay(number) {
    return dayFrom(Math.floor(number / 12), number % 12, 1);
  }

  function pad2(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function monthKey(number) {
    var y = String(Math.floor(number / 12));
    while (y.length < 4) {
      y = "0" + y;
    }
    return y + "-" + pad2(number % 12 + 1);
  }

  function daysInMonth(day) {
    return nextMonth(day) - monthStart(day);
  }

  // The axis as [first day, day after the last] (axis_span in timeline_svg.py): a range asked for (both
  // ends, days) shorter than MIN_SPAN_DAYS is the axis itself, at least MIN_ZOOM_DAYS around its middle;
  // otherwise the data's months, padded around them to MIN_SPAN_DAYS. null when nothing is known.
  function span(known, from, to) {
    if (!known.length) {
      return null;
    }
    if (from !== null && from !== undefined && to !== null && to !== undefined && from <= to) {
      var asked = to - from + 1;
      if (asked < MIN_SPAN_DAYS) {
        var length = Math.max(asked, MIN_ZOOM_DAYS);
        var first = from - Math.min(Math.floor((length - asked) / 2), from - dayOf(FIRST));
        first = Math.min(first, dayOf(LAST) - length); // the calendar ends at 9999-12-31
        return [first, first + length];
      }
    }
    var t0 = monthStart(Math.min.apply(null, known));
    var t1 = nextMonth(Math.max.apply(null, known));
    if (t1 - t0 < MIN_SPAN_DAYS) { // pad around the data, half before and half after
      var pad = Math.floor((MIN_SPAN_DAYS - (t1 - t0)) / 2) + 1;
      t0 = monthStart(Math.max(dayOf(FIRST) + pad, t0) - pad);
      t1 = nextMonth(Math.min(dayOf(LAST) - pad, t1) + pad);
    }
    return [t0, t1];
  }

  // The labelled days of the axis [t0, t1) as [day, label] (axis_ticks in timeline_svg.py): years over
  // two years; quarters, every other month or every month ("Mar 2016") down to DAY_TICKS_DAYS; then days
  // ("5 Mar"), the year on the first and on 1 January. ``names``: the twelve months in the page's words.
  function ticks(t0, t1, names) {
    var length = t1 - t0;
    var out = [];
    if (length > 740) {
      var firstYear = parts(t0).y;
      var lastYear = parts(t1).y;
      var stepYears = Math.max(1, Math.floor((lastYear - firstYear + 1) / 12));
      for (var year = firstYear; year <= lastYear; year += stepYears) {
        var jan = dayFrom(year, 0, 1);
        if (t0 <= jan && jan <= t1) {
          out.push([jan, String(year)]);
        }
      }
      return out;
    }
    if (length > DAY_TICKS_DAYS) {
      var every = length > 400 ? 3 : length > 250 ? 2 : 1; // quarters, every other month, every month
      var p0 = parts(t0);
      var p1 = parts(t1);
      var last = p1.y * 12 + p1.m - (p1.d === 1 ? 1 : 0);
      for (var number = p0.y * 12 + p0.m + (p0.d !== 1 ? 1 : 0); number <= last; number++) {
        if ((number % 12) % every === 0) {
          out.push([monthDay(number), names[number % 12] + " " + Math.floor(number / 12)]);
        }
      }
      return out;
    }
    var step = 1;
    for (var s = 0; s < DAY_STEPS.length; s++) {
      if (length <= DAY_STEPS[s][0]) {
        step = DAY_STEPS[s][1];
        break;
      }
    }
    for (var d = t0; d < t1; d++) {
      var p = parts(d);
      // Day 1, 1 + step, …; one too close to the next month's first is left out, so no two labels touch.
      if ((p.d - 1) % step === 0 && daysInMonth(d) - p.d + 1 >= step) {
        var label = p.d + " " + names[p.m];
        out.push([d, !out.length || (p.m === 0 && p.d === 1) ? label + " " + p.y : label]);
      }
    }
    return out;
  }

  function parse(row) {
    var item = {
      id: Number(row[0]), startIso: row[1], endIso: row[2], start: dayOf(row[1]), end: dayOf(row[2]),
      group: CLASS_SAFE.test(row[3] || "") ? row[3] : "", tip: String(row[4] || ""), span: null
    };
    item.exact = item.start === item.end;
    item.openStart = row[1] === FIRST;
    item.openEnd = row[2] === LAST;
    if (row.length >= 7) {
      item.span = [dayOf(row[5]), dayOf(row[6])];
    }
    return item;
  }

  // Whether an incident's possible days meet [from, to] (null: open), as the list's date filter reads it.
  function overlaps(lo, hi, from, to) {
    return (from === null || hi >= from) && (to === null || lo <= to);
  }

  function histogram(items) {
    var day = {};
    var month = {};
    var spread = {};
    var used = [];
    function add(series, m) {
      if (!(m in day) && !(m in month) && !(m in spread)) {
        used.push(m);
      }
      series[m] = (series[m] || 0) + 1;
    }
    items.forEach(function (item) {
      var lo = monthNumber(item.start);
      var hi = monthNumber(item.end);
      if (lo === hi) {
        add(item.exact ? day : month, lo);
      } else if (hi - lo + 1 <= MAX_SPREAD_MONTHS) {
        for (var m = lo; m <= hi; m++) {
          add(spread, m);
        }
      }
    });
    if (!used.length) {
      return [];
    }
    var end = Math.max.apply(null, used);
    var start = Math.max(Math.min.apply(null, used), end - MAX_BARS + 1);
    var bars = [];
    for (var n = start; n <= end; n++) {
      bars.push({ month: n, day: day[n] || 0, monthOnly: month[n] || 0, range: spread[n] || 0 });
    }
    return bars;
  }

  function el(name, attributes, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function fixed(n, places) {
    return n.toFixed(places);
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

    // Draws ``items`` (already narrowed to the range) into ``svg``, replacing what it showed, and returns
  // the axis as [first day, day after the last] (null when nothing is dated: the caller says so instead).
  // options: rtl, texts, range ([from, to] asked for, days or null) and months (the axis's month names).
  function draw(svg, items, options) {
    var rtl = !!options.rtl;
    var texts = options.texts || {};
    var bars = histogram(items);
    var known = [];
    items.forEach(function (item) {
      if (!item.openStart) {
        known.push(item.start);
      }
      if (!item.openEnd) {
        known.push(item.end);
      }
    });
    bars.forEach(function (bar) {
      known.push(monthDay(bar.month));
    });
    var range = options.range || [null, null];
    var axis = span(known, range[0], range[1]);
    if (axis === null) {
      return null;
    }
    var t0 = axis[0];
    var t1 = axis[1];
    var days = Math.max(1, t1 - t0);
    var inner = WIDTH - 2 * MARGIN;
    function x(d) {
      d = Math.min(Math.max(d, t0), t1);
      var pos = MARGIN + inner * (d - t0) / days;
      return rtl ? WIDTH - pos : pos;
    }

    var out = document.createDocumentFragment();
    // ------------------------------------------------------------ monthly bars
    var top = 1;
    bars.forEach(function (b) {
      top = Math.max(top, b.day + b.monthOnly, b.range);
    });
    var scale = (HIST_HEIGHT - 8) / top;
    bars.forEach(function (b) {
      var start = monthDay(b.month);
      var xs = [x(start), x(nextMonth(start))].sort(function (p, q) { return p - q; });
      var w = Math.max(0.5, xs[1] - xs[0] - 0.6);
      var group = el("g");
      group.appendChild(el("title", {}, fill(texts.month, {
        month: NUM.digits(monthKey(b.month)), day: NUM.digits(String(b.day)),
        month_only: NUM.digits(String(b.monthOnly)), range: NUM.digits(String(b.range))
      })));
      function rect(cls, y, h) {
        group.appendChild(el("rect", { "class": cls, x: fixed(xs[0], 2), y: fixed(y, 2), width: fixed(w, 2),
                                       height: fixed(h, 2) }));
      }
      if (b.range) {
        rect("tl-hist-range", HIST_HEIGHT - b.range * scale, b.range * scale);
      }
      if (b.day) {
        rect("tl-hist-day", HIST_HEIGHT - b.day * scale, b.day * scale);
      }
      if (b.monthOnly) {
        rect("tl-hist-month", HIST_HEIGHT - b.day * scale - b.monthOnly * scale, b.monthOnly * scale);
      }
      out.appendChild(group);
    });

    // -------------------------------------------------------------------- axis
    var y = HIST_HEIGHT + 2;
    out.appendChild(el("line", { "class": "tl-axis", x1: fixed(MARGIN, 1), x2: fixed(WIDTH - MARGIN, 1),
                                 y1: fixed(y, 1), y2: fixed(y, 1) }));
    function tick(px, label) {
      // A label at either end stays inside the picture: half its width, guessed from its length (11px type).
      var half = Math.max(14, label.length * 3);
      var tx = Math.min(Math.max(px, MARGIN + half), WIDTH - MARGIN - half);
      out.appendChild(el("line", { "class": "tl-tick-mark", x1: fixed(px, 2), x2: fixed(px, 2), y1: fixed(y, 1),
                                   y2: fixed(y + 5, 1) }));
      out.appendChild(el("text", { "class": "tl-label", x: fixed(tx, 2), y: fixed(y + 17, 1),
                                   "text-anchor": "middle" }, NUM.digits(label)));
    }
    ticks(t0, t1, options.months || MONTHS).forEach(function (pair) {
      tick(x(pair[0]), pair[1]);
    });

    // ------------------------------------------------------------------- marks
    var laneTop = HIST_HEIGHT + AXIS_HEIGHT;
    var laneEnds = [];
    var hidden = 0;
    items.slice().sort(function (p, q) {
      return p.start - q.start || p.end - q.end || p.id - q.id;
    }).forEach(function (item) {
      var a = x(item.start);
      var b = x(item.exact ? item.start : item.end + 1);
      var lo = Math.min(a, b);
      var hi = Math.max(a, b);
      if (item.exact || hi - lo < MIN_MARK) {
        var mid = item.exact ? a : (lo + hi) / 2;
        lo = mid - MIN_MARK / 2;
        hi = mid + MIN_MARK / 2;
      }
      // Along the time direction: in right-to-left, "later" is further left, so pack on -x.
      var begin = rtl ? -hi : lo;
      var finish = rtl ? -lo : hi;
      var lane = -1;
      for (var n = 0; n < laneEnds.length; n++) {
        if (laneEnds[n] + 1 < begin) {
          lane = n;
          break;
        }
      }
      if (lane < 0) {
        if (laneEnds.length >= MAX_LANES) {
          hidden += 1;
          return;
        }
        laneEnds.push(finish);
        lane = laneEnds.length - 1;
      } else {
        laneEnds[lane] = finish;
      }
      var classes = ["tl-mark", item.exact ? "tl-exact" : "tl-range"];
      if (item.group) {
        classes.push("twq-g-" + item.group);
      }
      if (item.openStart || item.openEnd) {
        classes.push("tl-open");
      }
      var link = el("a", { href: "/incidents/" + item.id, "data-testid": "timeline-mark",
                           "data-incident-id": String(item.id) });
      var mark = el("rect", { "class": classes.join(" "), x: fixed(lo, 2),
                              y: fixed(laneTop + lane * (LANE_HEIGHT + LANE_GAP), 2), width: fixed(hi - lo, 2),
                              height: fixed(LANE_HEIGHT, 1) });
      mark.appendChild(el("title", {}, item.tip));
      link.appendChild(mark);
      out.appendChild(link);
    });
    var height = laneTop + Math.max(1, laneEnds.length) * (LANE_HEIGHT + LANE_GAP) + MARGIN;
    if (hidden) {
      out.appendChild(el("text", { "class": "tl-note", x: fixed(WIDTH / 2, 1), y: fixed(height, 1),
                                   "text-anchor": "middle" }, fill(texts.hidden, { n: NUM.digits(String(hidden)) })));
      height += 16;
    }

    // Replace what the chart showed; its description (the <desc>) stays.
    Array.prototype.slice.call(svg.childNodes).forEach(function (child) {
      if (!(child.nodeType === 1 && child.localName === "desc")) {
        svg.removeChild(child);
      }
    });
    svg.appendChild(out);
    svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + Math.round(height));
    svg.setAttribute("data-start", iso(t0));
    svg.setAttribute("data-end", iso(t1));
    return [t0, t1];
  }

  // The day a zoom-in narrows around, so that the narrower range still holds incidents whenever [lo, hi]
  // holds any (the range's middle may fall in a gap: data clustered at one end). Each incident meeting
  // [lo, hi] counts at the middle of its part inside it; the one nearest ``near`` (a day: the middle of a
  // brushed range) is taken, or without ``near`` the middle one in time (the median), so a lone outlier
  // does not pull the zoom into the empty years between it and the rest. null when none meets [lo, hi].
  function focus(items, lo, hi, near) {
    var at = [];
    items.forEach(function (item) {
      if (overlaps(item.start, item.end, lo, hi)) {
        at.push(Math.floor((Math.max(item.start, lo) + Math.min(item.end, hi)) / 2));
      }
    });
    if (!at.length) {
      return null;
    }
    at.sort(function (p, q) { return p - q; });
    if (near === null || near === undefined) {
      return at[Math.floor((at.length - 1) / 2)];
    }
    return at.reduce(function (best, day) {
      return Math.abs(day - near) < Math.abs(best - near) ? day : best;
    });
  }

  window.TawthiqTimelineDraw = { parse: parse, overlaps: overlaps, draw: draw, dayOf: dayOf, iso: iso,
                                 fill: fill, focus: focus, MIN_ZOOM_DAYS: MIN_ZOOM_DAYS };
})();
