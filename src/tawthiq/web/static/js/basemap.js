// The offline basemap shared by the incident map and the incident page's mini-map:
// neighbouring countries, Syria's governorates and border, and the main towns, all
// from /static/geo/basemap.geojson (prepared by scripts/build_basemap.py), labelled
// in the page's language. No tile server: nothing is fetched from outside.
// Labels never sit on one another: after each zoom the labels are laid out by rank (the main
// towns, then the countries, the governorates, the smaller towns) and one whose box meets a
// label already kept is left out at that zoom (declutter below).
//
// window.TawthiqBasemap.load(url)                -> Promise of the GeoJSON
// window.TawthiqBasemap.draw(map, data, options) -> { governorates: L.GeoJSON, labelPoint: {pcode: LatLng} }
//   options.lang         "en" | "ar"
//   options.governorate  optional function (feature, layer) called for each governorate outline
// Names come from our own file, yet go in through textContent all the same.
(function () {
  "use strict";
  if (!window.L) {
    return;
  }
  var L = window.L;
  var REGION = [[28.5, 29.0], [41.5, 49.0]]; // the basemap's extent: the map does not pan beyond it
  var ATTRIBUTION = "Natural Earth; OCHA / HDX (CC BY 3.0 IGO); OpenSyria, GeoNames (CC BY 4.0)";

  function name(props, lang) {
    return (lang === "ar" ? props.name_ar : props.name_en) || props.name_en || props.name_ar || "";
  }

  function label(latlng, text, className, lang) {
    var box = document.createElement("span");
    box.className = "twq-label-text";
    box.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    box.setAttribute("lang", lang);
    box.textContent = text;
    return L.marker(latlng, {
      icon: L.divIcon({ className: "twq-label " + className, html: box, iconSize: null }),
      interactive: false, keyboard: false, pane: "twqLabels"
    });
  }

  // Which labels are kept first when two would overlap: the lower the number, the earlier.
  var PRIORITY = { town1: 0, country: 1, gov: 2, town2: 3 };
  var PAD = 2; // px of clear space kept between two labels

  // A label's box in the map's pixels: its text, and for a town the dot on the spot as well (the marker
  // element's anchor). Placed from the map's own projection of the spot, not from where the element is
  // drawn this instant (after a zoom its transform may still be moving), with the text's offset from the
  // anchor as laid out. null when it is not shown at this zoom (the zoom classes hide it).
  function box(map, marker) {
    var el = marker.getElement && marker.getElement();
    var text = el && el.querySelector(".twq-label-text");
    if (!text || text.offsetParent === null) {
      return null;
    }
    var r = text.getBoundingClientRect();
    var a = el.getBoundingClientRect();
    var at = map.latLngToContainerPoint(marker.getLatLng());
    var left = at.x + r.left - a.left;
    var top = at.y + r.top - a.top;
    return { left: Math.min(left, at.x - 3), right: Math.max(left + r.width, at.x + 3),
             top: Math.min(top, at.y - 3), bottom: Math.max(top + r.height, at.y + 3) };
  }

  function meets(p, q) {
    return p.left < q.right + PAD && q.left < p.right + PAD && p.top < q.bottom + PAD && q.top < p.bottom + PAD;
  }

  // Show every label, measure them all (reads only, no layout in between), then hide those that meet a
  // label kept before them in rank order. A simple greedy rule: a few dozen labels, at each zoom.
  function declutter(map, labels) {
    labels.forEach(function (entry) {
      var el = entry.marker.getElement && entry.marker.getElement();
      if (el) {
        el.classList.remove("twq-label-hidden");
      }
    });
    var boxes = labels.map(function (entry) { return box(map, entry.marker); });
    var kept = [];
    labels.forEach(function (entry, i) {
      var b = boxes[i];
      if (!b) {
        return;
      }
      var clash = kept.some(function (k) { return meets(b, k); });
      if (clash) {
        entry.marker.getElement().classList.add("twq-label-hidden");
      } else {
        kept.push(b);
      }
    });
  }

  // Town labels at a zoom their rank deserves: the container carries the zoom as classes.
  function zoomClasses(map) {
    var el = map.getContainer();
    var z = map.getZoom();
    el.classList.toggle("twq-zoom-far", z < 6.5);
    el.classList.toggle("twq-zoom-near", z >= 8);
  }

  function draw(map, data, options) {
    var lang = options && options.lang === "ar" ? "ar" : "en";
    if (!map.getPane("twqCountries")) {
      map.createPane("twqCountries").style.zIndex = 250;
      var labels = map.createPane("twqLabels");
      labels.style.zIndex = 450; // above the shapes, below markers and popups
      labels.style.pointerEvents = "none";
    }
    map.getContainer().classList.add("twq-basemap");
    map.attributionControl && map.attributionControl.addAttribution(ATTRIBUTION);
    map.setMaxBounds(L.latLngBounds(REGION).pad(0.1));
    var features = (data && data.features) || [];
    var layerOf = function (f) { return (f.properties || {}).layer; };
    var countries = features.filter(function (f) { return layerOf(f) === "country"; });
    var governorates = features.filter(function (f) { return layerOf(f) === "governorate"; });
    var border = features.filter(function (f) { return layerOf(f) === "border"; });
    var towns = features.filter(function (f) { return layerOf(f) === "town"; });

    L.geoJSON({ type: "FeatureCollection", features: countries }, {
      pane: "twqCountries", interactive: false,
      style: function () { return { className: "twq-country", color: "#a7a39a", weight: 1, fillColor: "#e9e6df", fillOpacity: 1 }; }
    }).addTo(map);
    var govLayer = L.geoJSON({ type: "FeatureCollection", features: governorates }, {
      style: function () { return { className: "twq-gov", color: "#8a949c", weight: 1, fillColor: "#ffffff", fillOpacity: 1 }; },
      onEachFeature: function (feature, layer) {
        if (options && options.governorate) {
          options.governorate(feature, layer);
        }
      },
      interactive: !!(options && options.governorate)
    }).addTo(map);
    L.geoJSON({ type: "FeatureCollection", features: border }, {
      interactive: false, style: function () { return { className: "twq-border", color: "#3f4a52", weight: 2.2 }; }
    }).addTo(map);

    var labelPoint = {};
    var labels = []; // {marker, order}: every label, for declutter
    function add(marker, kind) {
      marker.addTo(map);
      labels.push({ marker: marker, order: PRIORITY[kind] * 1000 + labels.length });
    }
    countries.forEach(function (f) {
      var p = f.properties;
      if (p.label) {
        add(label([p.label[1], p.label[0]], name(p, lang), "twq-label-country", lang), "country");
      }
    });
    governorates.forEach(function (f) {
      var p = f.properties;
      if (p.label) {
        labelPoint[p.pcode] = L.latLng(p.label[1], p.label[0]);
        add(label(labelPoint[p.pcode], name(p, lang), "twq-label-gov", lang), "gov");
      }
    });
    towns.forEach(function (f) {
      var c = f.geometry && f.geometry.coordinates;
      if (c) {
        var rank = f.properties.rank === 1 ? 1 : 2;
        add(label([c[1], c[0]], name(f.properties, lang), "twq-label-town twq-town-r" + rank, lang), "town" + rank);
      }
    });
    labels.sort(function (p, q) { return p.order - q.order; });
    // Laid out at once, and again on the next frame: a zoom's end may still be followed by a pan back inside
    // the region or a late style change, and the labels must fit the map as finally drawn. Each layout is
    // counted on the container (data-labels-laid-out) so a test can wait for the settled one.
    var pending = false;
    var relayout = function () {
      declutter(map, labels);
      var el = map.getContainer();
      el.dataset.labelsLaidOut = String(Number(el.dataset.labelsLaidOut || 0) + 1);
      if (!pending && window.requestAnimationFrame) {
        pending = true;
        window.requestAnimationFrame(function () {
          pending = false;
          declutter(map, labels);
          el.dataset.labelsSettled = el.dataset.labelsLaidOut;
        });
      }
    };
    map.on("zoomend", function () {
      zoomClasses(map);
      relayout();
    });
    map.on("viewreset resize moveend", relayout);
    zoomClasses(map);
    relayout();
    // Widths change when the interface's fonts arrive: lay out again then.
    if (document.fonts) {
      document.fonts.ready.then(relayout);
      document.fonts.addEventListener && document.fonts.addEventListener("loadingdone", relayout);
    }
    return { governorates: govLayer, labelPoint: labelPoint };
  }

  function load(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) {
        throw new Error("HTTP " + r.status);
      }
      return r.json();
    });
  }

  window.TawthiqBasemap = { load: load, draw: draw, region: REGION };
})();
