// Dashboard charts (Chart.js), drawn from the JSON the server put in the page.
//
// DOM contract:
//   <script type="application/json" id="dashboard-data">{{ dashboard.chart_data()|tojson }}</script>
//   <div class="chart-box"><canvas data-chart="perpetrator" data-measure="killed" [data-limit="15"]
//        aria-label="…" role="img"></canvas></div>
// data-chart: perpetrator | violation | governorate | event_type | outcome | month | histogram
// data-measure: incidents (default) | killed | injured; the outcome chart's is victims (per outcome,
//               never added across outcomes); none for the histogram
// needs vendor/chart/chart.umd.min.js loaded first, and app.js: the axes, tooltips and month labels are
// written in the reader's digits (Chart.js formats its ticks with the locale it is given).
//
// Victim numbers are ranges: each bar floats from the lowest to the highest
// count reported. When some count has no upper bound the bar is drawn at the
// minimum in a paler colour and its tooltip reads "at least N".
(function () {
  "use strict";
  var holder = document.getElementById("dashboard-data");
  if (!holder || !window.Chart) {
    return;
  }
  var data;
  try {
    data = JSON.parse(holder.textContent || "{}");
  } catch (e) {
    return;
  }
  var lang = (document.documentElement.lang || "en").slice(0, 2) === "ar" ? "ar" : "en";
  var rtl = document.documentElement.dir === "rtl";
  var series = data.series || {};
  var NUM = window.TawthiqNumbers || { locale: lang, format: function (v) { return String(v); }, digits: String };
  var locale = NUM.locale;
  var number = { format: NUM.format };

  function word(key) {
    var s = series[key] || {};
    return s[lang] || s.en || key;
  }

  function label(l) {
    return (l && (l[lang] || l.en)) || "";
  }

  function cssVar(el, name, fallback) {
    var v = window.getComputedStyle(el).getPropertyValue(name);
    return (v && v.trim()) || fallback;
  }

  var body = window.getComputedStyle(document.body);
  Chart.defaults.font.family = body.fontFamily;
  Chart.defaults.color = body.color;

  function floating(ranges) {
    // [lo, hi] per bar; an open maximum (null) is drawn as [lo, lo].
    return ranges.map(function (r) { return [r[0], r[1] === null ? r[0] : r[1]]; });
  }

  // A count axis's tick: Chart.js writes its zero as a bare "0" whatever the locale, so every tick is
  // written here (the ticks are whole numbers: precision 0).
  function tick(value) {
    return number.format(value);
  }

  function rangeText(r) {
    if (r[1] === null) {
      return word("open") + " " + number.format(r[0]);
    }
    return r[0] === r[1] ? number.format(r[0]) : number.format(r[0]) + "–" + number.format(r[1]);
  }

  // Long names (violations, coalitions) wrap onto lines instead of being cut off.
  function wrap(text, width) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (w) {
      if (line && (line + " " + w).length > width) {
        lines.push(line);
        line = w;
      } else {
        line = line ? line + " " + w : w;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines.length > 1 ? lines : lines[0] || "";
  }

  function categoryChart(canvas, chart, measure, limit) {
    var n = Math.min(chart.labels.length, limit);
    var horizontal = canvas.dataset.chart !== "month";
    var labels = chart.labels.slice(0, n).map(function (l, i) {
      // The range is written beside the name too: a bar cannot show "at least".
      // A month's name is the interface's own ("آذار 2016"); other labels are names and stay as written.
      var name = canvas.dataset.chart === "month" ? NUM.digits(label(l)) : label(l);
      var text = measure === "incidents" ? name : name + " · " + rangeText(chart[measure][i]);
      return horizontal ? wrap(text, 32) : text;
    });
    var main = cssVar(canvas, "--chart-main", "#0b5d73");
    var pale = cssVar(canvas, "--chart-open", "#9cc3cf");
    var dataset;
    if (measure === "incidents") {
      dataset = { label: word("incidents"), data: chart.incidents.slice(0, n), backgroundColor: main };
    } else {
      var ranges = (chart[measure] || []).slice(0, n);
      dataset = {
        label: word(measure),
        data: floating(ranges),
        backgroundColor: ranges.map(function (r) { return r[1] === null ? pale : main; }),
        borderColor: main,
        borderWidth: ranges.map(function (r) { return r[1] === null ? 2 : 0; }),
        minBarLength: 3,
        ranges: ranges
      };
    }
    var valueAxis = { beginAtZero: true, reverse: horizontal && rtl, ticks: { precision: 0, callback: tick } };
    if (!horizontal && rtl) {
      valueAxis.position = "right";
    }
    var categoryAxis = { reverse: !horizontal && rtl, ticks: { autoSkip: !horizontal } };
    if (horizontal && rtl) {
      categoryAxis.position = "right"; // labels on the reading side
    }
    return new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: [dataset] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: false, rtl: rtl },
          tooltip: {
            rtl: rtl,
            callbacks: {
              label: function (ctx) {
                var r = ctx.dataset.ranges;
                return ctx.dataset.label + ": " + (r ? rangeText(r[ctx.dataIndex]) : number.format(ctx.parsed[horizontal ? "x" : "y"]));
              }
            }
          }
        }
      }
    });
  }

  function histogramChart(canvas, h) {
    // Exact days and known months stack in one column; "may be this month"
    // ranges stand beside them, never added on top (they overlap many months).
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: h.months.map(NUM.digits),
        datasets: [
          { label: word("day"), data: h.day, stack: "dated", backgroundColor: cssVar(canvas, "--chart-main", "#0b5d73") },
          { label: word("month"), data: h.month, stack: "dated", backgroundColor: cssVar(canvas, "--chart-second", "#5fa2b5") },
          { label: word("range"), data: h.range, stack: "range", backgroundColor: cssVar(canvas, "--chart-range", "rgba(138, 75, 0, 0.35)") }
        ]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        scales: { x: { stacked: true, reverse: rtl },
          y: { stacked: true, beginAtZero: true, position: rtl ? "right" : "left",
               ticks: { precision: 0, callback: tick } } },
        plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } }
      }
    });
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var kind = canvas.dataset.chart;
    if (kind === "histogram") {
      if (data.histogram && data.histogram.months && data.histogram.months.length) {
        histogramChart(canvas, data.histogram);
      }
      return;
    }
    var chart = data.charts && data.charts[kind];
    if (!chart || !chart.labels || !chart.labels.length) {
      return;
    }
    var measure = canvas.dataset.measure || "incidents";
    if (["incidents", "victims", "killed", "injured"].indexOf(measure) < 0 || !chart[measure]) {
      measure = "incidents";
    }
    var limit = parseInt(canvas.dataset.limit || "", 10);
    categoryChart(canvas, chart, measure, limit > 0 ? limit : (kind === "month" ? 600 : 15));
  });
})();
