// The offline basemap shared by the incident map and the incident page's mini-map:
// neighbouring countries, Syria's governorates and border, and the main towns, all
// from /static/geo/basemap.geojson (prepared by scripts/build_basemap.py), labelled
// in the page's language. No tile server: nothing is fetched from outside.
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
    countries.forEach(function (f) {
      var p = f.properties;
      if (p.label) {
        label([p.label[1], p.label[0]], name(p, lang), "twq-label-country", lang).addTo(map);
      }
    });
    governorates.forEach(function (f) {
      var p = f.properties;
      if (p.label) {
        labelPoint[p.pcode] = L.latLng(p.label[1], p.label[0]);
        label(labelPoint[p.pcode], name(p, lang), "twq-label-gov", lang).addTo(map);
      }
    });
    towns.forEach(function (f) {
      var c = f.geometry && f.geometry.coordinates;
      if (c) {
        var rank = f.properties.rank === 1 ? 1 : 2;
        label([c[1], c[0]], name(f.properties, lang), "twq-label-town twq-town-r" + rank, lang).addTo(map);
      }
    });
    map.on("zoomend", function () { zoomClasses(map); });
    zoomClasses(map);
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
