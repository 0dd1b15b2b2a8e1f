// The incident map: governorate outlines from our own GeoJSON (no tile server,
// nothing loaded from outside), clustered pins for places known to a town or
// better, translucent circles for district-level places and shaded
// governorates for governorate-level ones, so a vague place never looks precise.
//
// DOM contract:
//   <div id="map" data-features-url="…" data-basemap-url="/static/geo/governorates.geojson"
//        [data-incident-url="/incidents/"] [data-list-url="/incidents"]></div>
//   [<p id="map-status" role="status"></p>]   (counts, truncation, errors)
// needs leaflet.js and leaflet.markercluster.js loaded first.
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

  var TEXT = {
    en: {
      open: "Open incident", loading: "Loading incidents…", failed: "The incidents could not be loaded.",
      shown: "{n} incidents on the map.", truncated: "Only the newest {n} are shown: narrow the filters to see the rest.",
      unmapped: "{n} matching incidents have no place precise enough to draw.",
      area: "Place known to about {km} km", gov: "Known only to the governorate",
      govCount: "{n} incidents known only to this governorate", list: "All incidents in this governorate",
      legendArea: "District-level place (approximate)", legendGov: "Governorate-level (shaded)",
      precision: { exact: "exact place", neighbourhood: "neighbourhood", town: "town", district: "district",
        governorate: "governorate", country: "country" }
    },
    ar: {
      open: "فتح الحادثة", loading: "جارٍ تحميل الحوادث…", failed: "تعذّر تحميل الحوادث.",
      shown: "{n} حادثة على الخريطة.", truncated: "تظهر أحدث {n} حادثة فقط: ضيّق عوامل التصفية لرؤية البقية.",
      unmapped: "{n} حادثة مطابقة ليس لها مكان دقيق بما يكفي لرسمه.",
      area: "المكان معروف في حدود {km} كم تقريباً", gov: "معروفة على مستوى المحافظة فقط",
      govCount: "{n} حادثة معروفة على مستوى هذه المحافظة فقط", list: "كل حوادث هذه المحافظة",
      legendArea: "مكان على مستوى المنطقة (تقريبي)", legendGov: "على مستوى المحافظة (مظلّلة)",
      precision: { exact: "مكان دقيق", neighbourhood: "حي", town: "بلدة", district: "منطقة",
        governorate: "محافظة", country: "بلد" }
    }
  }[lang];

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
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
  map.attributionControl.addAttribution("Boundaries: OCHA / HDX (CC BY 3.0 IGO)");
  map.fitBounds([[32.3, 35.6], [37.4, 42.4]]); // Syria

  var govLayer = null;
  var govCounts = {}; // pcode -> {n, governorate}

  function popup(props) {
    var box = node("div", "twq-popup");
    box.setAttribute("dir", dir);
    box.appendChild(node("strong", null, pick(props, "event_label")));
    var when = props.date_text || props.date_edtf;
    if (when) {
      var d = node("div", "twq-popup-date", when);
      d.setAttribute("dir", "auto");
      box.appendChild(d);
    }
    var place = pick(props, "place");
    if (place) {
      var p = node("div", "twq-popup-place", place);
      p.setAttribute("dir", "auto");
      box.appendChild(p);
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

  function govPopup(feature) {
    var props = feature.properties || {};
    var entry = govCounts[props.pcode];
    var box = node("div", "twq-popup");
    box.setAttribute("dir", dir);
    box.appendChild(node("strong", null, lang === "ar" ? props.name_ar : props.name_en));
    if (entry) {
      box.appendChild(node("div", null, fmt(TEXT.govCount, { n: entry.n })));
      var link = node("a", null, TEXT.list);
      link.setAttribute("href", listUrl + "?governorate=" + encodeURIComponent(entry.governorate));
      box.appendChild(link);
    }
    return box;
  }

  function styleGovernorates() {
    if (!govLayer) {
      return;
    }
    var most = 0;
    Object.keys(govCounts).forEach(function (k) { most = Math.max(most, govCounts[k].n); });
    govLayer.eachLayer(function (layer) {
      var entry = govCounts[layer.feature.properties.pcode];
      var share = entry && most ? entry.n / most : 0;
      layer.setStyle({ fillOpacity: entry ? 0.15 + 0.45 * share : 0.04 });
      var path = layer.getElement && layer.getElement();
      if (path) {
        path.classList.toggle("twq-gov-shaded", !!entry);
      }
    });
  }

  function drawBasemap(geojson) {
    govLayer = L.geoJSON(geojson, {
      style: function () {
        return { className: "twq-gov", color: "#5c666f", weight: 1, fillColor: "#0b5d73", fillOpacity: 0.04 };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () { return govPopup(feature); });
      }
    }).addTo(map);
    govLayer.bringToBack();
    styleGovernorates();
  }

  // Only the colours actually on the map (all of them when it is empty).
  function legend(groups, present) {
    var control = L.control({ position: dir === "rtl" ? "topleft" : "topright" });
    control.onAdd = function () {
      var box = node("div", "twq-legend leaflet-bar");
      box.setAttribute("dir", dir);
      var list = node("ul");
      var shown = (groups || []).filter(function (g) { return present[g.group]; });
      (shown.length ? shown : groups || []).forEach(function (g) {
        var item = node("li");
        item.appendChild(node("span", "twq-swatch " + groupClass(g.group)));
        item.appendChild(node("span", null, g[lang] || g.en));
        list.appendChild(item);
      });
      var area = node("li");
      area.appendChild(node("span", "twq-swatch twq-swatch-area"));
      area.appendChild(node("span", null, TEXT.legendArea));
      list.appendChild(area);
      var gov = node("li");
      gov.appendChild(node("span", "twq-swatch twq-swatch-gov"));
      gov.appendChild(node("span", null, TEXT.legendGov));
      list.appendChild(gov);
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  function drawIncidents(collection) {
    var clusters = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 50 });
    var areas = L.featureGroup();
    var drawn = 0;
    var present = {};
    (collection.features || []).forEach(function (feature) {
      var props = feature.properties || {};
      present[props.group] = true;
      var coords = feature.geometry && feature.geometry.coordinates;
      if (!coords || coords.length < 2) {
        return;
      }
      var latlng = L.latLng(coords[1], coords[0]);
      drawn += 1;
      if (props.shape === "point") {
        var icon = L.divIcon({ className: "twq-pin " + groupClass(props.group), iconSize: [14, 14], html: "" });
        var marker = L.marker(latlng, { icon: icon, keyboard: true, title: pick(props, "event_label") });
        marker.bindPopup(function () { return popup(props); });
        clusters.addLayer(marker);
      } else if (props.shape === "governorate" && props.pcode) {
        var entry = govCounts[props.pcode] || (govCounts[props.pcode] = { n: 0, governorate: props.governorate });
        entry.n += 1;
      } else {
        var circle = L.circle(latlng, {
          radius: props.radius_m || 15000, className: "twq-area " + groupClass(props.group),
          weight: 1, fillOpacity: 0.12, opacity: 0.5
        });
        circle.bindPopup(function () { return popup(props); });
        areas.addLayer(circle);
      }
    });
    areas.addTo(map);
    map.addLayer(clusters);
    styleGovernorates();
    legend(collection.legend, present);
    var parts = [fmt(TEXT.shown, { n: drawn })];
    if (collection.truncated) {
      parts.push(fmt(TEXT.truncated, { n: drawn }));
    }
    if (collection.unmapped) {
      parts.push(fmt(TEXT.unmapped, { n: collection.unmapped }));
    }
    say(parts.join(" "));
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error("HTTP " + r.status);
      }
      return r.json();
    });
  }

  say(TEXT.loading);
  getJSON(el.dataset.basemapUrl).then(drawBasemap).catch(function () { /* the points still work without outlines */ });
  getJSON(el.dataset.featuresUrl).then(drawIncidents).catch(function () {
    say(TEXT.failed);
    el.classList.add("twq-map-failed");
  });
})();
