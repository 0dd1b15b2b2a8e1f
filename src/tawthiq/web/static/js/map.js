// The incident map on the offline basemap (basemap.js: neighbours, governorates,
// towns, labelled in the page's language; no tile server, nothing loaded from
// outside). Clustered pins for places known to a town or better, translucent
// dashed circles for district-level places. An incident known only to its
// governorate is not spread over the governorate: the outline is hatched (the
// same for one incident or a hundred) and a badge says how many, so a vague
// place never looks precise and one imprecise arrest never darkens a region.
//
// DOM contract:
//   <div id="map" data-features-url="…" data-basemap-url="/static/geo/basemap.geojson"
//        [data-incident-url="/incidents/"] [data-list-url="/incidents"]></div>
//   [<p id="map-status" role="status"></p>]   (counts, truncation, errors)
//   [<section id="map-legend">]              (the server's legend: moved onto the map, compact, and folded
//                                             to its title at first on a small map)
//   [<script type="application/json" id="map-texts">]  (the texts, in the page language)
// needs leaflet.js, leaflet.markercluster.js and basemap.js loaded first, and app.js for the reader's
// digits: every count, range and distance this script writes is in them; the report's words are not.
// Report text is untrusted: every value goes in through textContent or
// setAttribute, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L || !el.dataset.featuresUrl || !el.dataset.basemapUrl) {
    return;
  }
  var lang = (document.documentElement.lang || "en").slice(0, 2) === "ar" ? "ar" : "en";
  var dir = document.documentElement.dir === "rtl" ? "rtl" : "ltr";
  var incidentUrl = el.dataset.incidentUrl || "/incidents/";
  var listUrl = el.dataset.listUrl || "/incidents";
  var status = document.getElementById("map-status");
  var NUM = window.TawthiqNumbers || { format: function (v) { return String(v); }, digits: String };

  // The page's texts, in its language (map.toml through the route): never executed, only parsed.
  var TEXT = {};
  try {
    TEXT = JSON.parse((document.getElementById("map-texts") || {}).textContent || "{}");
  } catch (e) {
    TEXT = {};
  }
  TEXT.outcome = TEXT.outcome || {};
  TEXT.status_label = TEXT.status_label || {};
  TEXT.precision = TEXT.precision || {};

  // A text with its {placeholders} filled in; numbers written in the reader's digits.
  function fmt(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (_, key) {
      var value = values[key];
      return value === undefined ? "" : typeof value === "number" ? NUM.format(value) : String(value);
    });
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function node(tag, className, text) {
    var n = document.createElement(tag);
    if (className) {
      n.className = className;
    }
    if (text !== undefined && text !== null) {
      n.textContent = String(text);
    }
    return n;
  }

  // Group codes become CSS class names; anything unexpected falls back to "other".
  function groupClass(group) {
    return "twq-g-" + (/^[a-z-]+$/.test(group || "") ? group : "other");
  }

  function pick(props, base) {
    return props[base + "_" + lang] || props[base + "_en"] || props[base + "_ar"] || "";
  }

  var map = L.map(el, { minZoom: 5, maxZoom: 15, zoomSnap: 0.5, worldCopyJump: false });
  map.attributionControl.setPrefix(false);
  map.fitBounds([[32.3, 35.6], [37.4, 42.4]]); // Syria

  var base = null; // what basemap.js drew: the governorate outlines and their label points
  var collection = null; // the incidents, once loaded
  var govCounts = {}; // pcode -> {n, governorate, name_en, name_ar}

  function line(box, label, value, className) {
    var row = node("div", className || null);
    row.appendChild(node("span", "twq-popup-key", label + ": "));
    var v = node("bdi", null, value);
    row.appendChild(v);
    box.appendChild(row);
    return row;
  }

  // " (as written: …)" after a value: the report's words, isolated so their direction does not spill.
  function writtenLine(row, words) {
    var note = node("span", "muted twq-popup-written");
    note.appendChild(document.createTextNode(" (" + (TEXT.as_written || "") + ": "));
    var quoted = node("bdi", null, words);
    quoted.setAttribute("dir", "auto");
    note.appendChild(quoted);
    note.appendChild(document.createTextNode(")"));
    row.appendChild(note);
  }

  // "killed: between 3 and 5", "injured: at least 12": a range in words, outcomes never added up.
  function victimWords(v) {
    var outcome = TEXT.outcome[v.outcome] || v.outcome;
    if (v.max === null || v.max === undefined) {
      return v.min ? fmt(TEXT.victims_at_least, { outcome: outcome, n: v.min }) : fmt(TEXT.victims_unknown, { outcome: outcome });
    }
    if (v.min === v.max) {
      return fmt(TEXT.victims_exact, { outcome: outcome, n: v.max });
    }
    return fmt(TEXT.victims_range, { outcome: outcome, min: v.min, max: v.max });
  }

  function popup(props) {
    var box = node("div", "twq-popup");
    box.setAttribute("dir", dir);
    box.setAttribute("data-testid", "map-popup");
    box.appendChild(node("strong", "twq-popup-title", pick(props, "event_label")));
    line(box, TEXT.type, pick(props, "event_label"), "twq-popup-type");
    var perps = props["perpetrators_" + lang] || props.perpetrators_en || [];
    line(box, TEXT.perpetrator, perps.length ? perps.join(lang === "ar" ? "، " : ", ") : TEXT.perpetrator_none,
         "twq-popup-perpetrator");
    var victims = (props.victims || []).map(victimWords);
    line(box, TEXT.victims, victims.length ? victims.join(lang === "ar" ? "؛ " : "; ") : TEXT.victims_none, "twq-popup-victims");
    line(box, TEXT.status, TEXT.status_label[props.status] || props.status || "", "twq-popup-status");
    // The date in the page's words (the server's date_en/date_ar); the report's own words, in whatever
    // language it was written, only apart and labelled as such.
    // The server's own wording of the date: its figures are the interface's (the report's stay below).
    var when = pick(props, "date");
    var d = line(box, TEXT.date, when ? NUM.digits(when) : TEXT.date_none, "twq-popup-date");
    if (when && when === props.date_edtf) {
      d.lastChild.setAttribute("dir", "ltr");
    }
    if (props.date_text) {
      writtenLine(d, props.date_text);
    }
    var place = pick(props, "place");
    if (place) {
      var p = line(box, TEXT.place, place, "twq-popup-place");
      if (props.place_written) {
        writtenLine(p, props.place_written);
      }
    }
    var precision = node("div", "twq-popup-precision muted");
    if (props.shape === "area") {
      precision.textContent = fmt(TEXT.area, { km: Math.round((props.radius_m || 0) / 1000) });
    } else if (props.shape === "governorate") {
      precision.textContent = TEXT.gov;
    } else {
      precision.textContent = TEXT.precision[props.precision] || props.precision || "";
    }
    box.appendChild(precision);
    var link = node("a", null, TEXT.open);
    link.setAttribute("href", incidentUrl + encodeURIComponent(String(props.id)));
    box.appendChild(link);
    return box;
  }

  function govPopup(pcode, title) {
    var entry = govCounts[pcode];
    var box = node("div", "twq-popup");
    box.setAttribute("dir", dir);
    box.setAttribute("data-testid", "gov-popup");
    box.appendChild(node("strong", null, title));
    if (entry) {
      box.appendChild(node("div", null, fmt(TEXT.gov_count, { n: entry.n })));
      var link = node("a", null, TEXT.gov_list);
      link.setAttribute("href", listUrl + "?governorate=" + encodeURIComponent(entry.governorate));
      box.appendChild(link);
    }
    return box;
  }

  // The hatching of governorates with imprecise incidents: one pattern in the overlay's SVG.
  function ensureHatch() {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("#twq-hatch")) {
      return;
    }
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pattern = document.createElementNS(ns, "pattern");
    pattern.setAttribute("id", "twq-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "8");
    pattern.setAttribute("height", "8");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var bg = document.createElementNS(ns, "rect");
    bg.setAttribute("width", "8");
    bg.setAttribute("height", "8");
    bg.setAttribute("fill", "#ffffff");
    var stripe = document.createElementNS(ns, "rect");
    stripe.setAttribute("width", "2");
    stripe.setAttribute("height", "8");
    stripe.setAttribute("fill", "#7a8f99");
    pattern.appendChild(bg);
    pattern.appendChild(stripe);
    defs.appendChild(pattern);
    svg.insertBefore(defs, svg.firstChild);
  }

  // Once both the outlines and the incidents are in: hatch and badge the governorates with imprecise ones.
  function markGovernorates() {
    if (!base || !collection) {
      return;
    }
    ensureHatch();
    base.governorates.eachLayer(function (layer) {
      var props = layer.feature.properties;
      var entry = govCounts[props.pcode];
      var path = layer.getElement && layer.getElement();
      if (path) {
        path.classList.toggle("twq-gov-imprecise", !!entry);
      }
      if (!entry) {
        return;
      }
      var title = lang === "ar" ? props.name_ar : props.name_en;
      layer.bindPopup(function () { return govPopup(props.pcode, title); });
      var where = base.labelPoint[props.pcode] || layer.getBounds().getCenter();
      var badge = node("span", "twq-gov-badge-n", NUM.format(entry.n));
      var marker = L.marker(where, {
        icon: L.divIcon({ className: "twq-gov-badge", html: badge, iconSize: null }),
        keyboard: true, title: fmt(TEXT.gov_badge, { name: title, n: entry.n }), zIndexOffset: -100
      });
      marker.bindPopup(function () { return govPopup(props.pcode, title); });
      marker.addTo(map);
      var icon = marker.getElement();
      if (icon) {
        icon.setAttribute("data-testid", "gov-badge");
        icon.setAttribute("data-pcode", props.pcode);
        icon.setAttribute("aria-label", fmt(TEXT.gov_badge, { name: title, n: entry.n }));
      }
    });
  }

  // The server's legend (the filter's event types, its labels and order) becomes a map control.
  function legend() {
    var box = document.getElementById("map-legend");
    if (!box) {
      return;
    }
    var control = L.control({ position: dir === "rtl" ? "topleft" : "topright" });
    control.onAdd = function () {
      box.classList.add("leaflet-bar", "twq-legend-on-map");
      // On a small map the legend starts folded to its title, so the map is seen first.
      var fold = box.querySelector("details.twq-legend-fold");
      if (fold && el.clientWidth < 700) {
        fold.open = false;
      }
      box.setAttribute("dir", dir);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
    // At most two fifths of the map's height (it scrolls beyond): a corner of the map, not a column over it.
    var fit = function () {
      box.style.maxHeight = Math.max(120, Math.round(el.clientHeight * 0.4)) + "px";
    };
    map.on("resize", fit);
    fit();
  }

  // The plugin's own cluster bubble (same classes and size), its count in the reader's digits.
  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    var inner = node("div");
    inner.appendChild(node("span", null, NUM.format(n)));
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  function drawIncidents(data) {
    collection = data;
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50,
                                          iconCreateFunction: clusterIcon });
    var areas = L.featureGroup();
    var drawn = 0;
    var imprecise = 0;
    (data.features || []).forEach(function (feature) {
      var props = feature.properties || {};
      var coords = feature.geometry && feature.geometry.coordinates;
      if (!coords || coords.length < 2) {
        return;
      }
      var latlng = L.latLng(coords[1], coords[0]);
      drawn += 1;
      if (props.shape === "point") {
        var icon = L.divIcon({ className: "twq-pin " + groupClass(props.group), iconSize: [16, 16], html: "" });
        var marker = L.marker(latlng, { icon: icon, keyboard: true, title: pick(props, "event_label") });
        marker.bindPopup(function () { return popup(props); });
        clusters.addLayer(marker);
      } else if (props.shape === "governorate" && props.pcode) {
        imprecise += 1;
        var entry = govCounts[props.pcode] || (govCounts[props.pcode] = { n: 0, governorate: props.governorate });
        entry.n += 1;
      } else {
        var circle = L.circle(latlng, {
          radius: props.radius_m || 15000, className: "twq-area " + groupClass(props.group),
          weight: 1.5, fillOpacity: 0.12, opacity: 0.7
        });
        circle.bindPopup(function () { return popup(props); });
        areas.addLayer(circle);
      }
    });
    areas.addTo(map);
    map.addLayer(clusters);
    markGovernorates();
    var parts = [fmt(TEXT.shown, { n: drawn })];
    if (imprecise) {
      parts.push(fmt(TEXT.gov_shown, { n: imprecise }));
    }
    if (data.truncated) {
      parts.push(fmt(TEXT.truncated, { n: drawn }));
    }
    if (data.unmapped) {
      parts.push(fmt(TEXT.unmapped, { n: data.unmapped }));
    }
    say(parts.join(" "));
    el.setAttribute("data-drawn", String(drawn));
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error("HTTP " + r.status);
      }
      return r.json();
    });
  }

  legend();
  say(TEXT.loading);
  if (window.TawthiqBasemap) {
    window.TawthiqBasemap.load(el.dataset.basemapUrl).then(function (data) {
      base = window.TawthiqBasemap.draw(map, data, { lang: lang, governorate: function () {} });
      markGovernorates();
    }).catch(function () { /* the incidents still show without the basemap */ });
  }
  getJSON(el.dataset.featuresUrl).then(drawIncidents).catch(function () {
    say(TEXT.failed);
    el.classList.add("twq-map-failed");
  });
})();
