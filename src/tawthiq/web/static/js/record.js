// Review, incident and source pages: evidence marks, the place list, victim rows and the mini-map.
// Everything hangs off data-* attributes (the CSP forbids inline handlers); without this file the
// pages still work: links jump to the marks, and a typed place name is looked up by the server.
(function () {
  "use strict";

  function marks() { return document.querySelectorAll("mark.evidence"); }
  function words(value) { return (value || "").split(" ").filter(Boolean); }

  // Activate the marks carrying one claim (or one incident), and the matching claims in the list.
  function activate(attribute, id, scroll) {
    var first = null;
    marks().forEach(function (mark) {
      var on = words(mark.getAttribute(attribute)).indexOf(String(id)) >= 0;
      mark.classList.toggle("active", on);
      if (on && !first) { first = mark; }
    });
    document.querySelectorAll("li.claim").forEach(function (li) {
      li.classList.toggle("active", attribute === "data-claims" && li.getAttribute("data-claim-id") === String(id));
    });
    if (first && scroll) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
    return first;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var link = target.closest("a.show-evidence[data-claim]");
    if (link) {
      if (activate("data-claims", link.getAttribute("data-claim"), true)) { event.preventDefault(); return; }
      // A shortened text may not hold this claim's words: the whole text, at the page holding them.
      var full = document.querySelector("a[data-testid=full-text-link]");
      var anchor = link.getAttribute("data-anchor") || "";
      if (full && /^ev-\d+$/.test(anchor)) {
        event.preventDefault();
        window.location.href = full.pathname + "?at=" + anchor.slice(3) + "#" + anchor;
      }
      return;
    }
    var button = target.closest("button.show-marks[data-incident]");
    if (button) {
      activate("data-incidents", button.getAttribute("data-incident"), true);
      return;
    }
    var mark = target.closest("mark.evidence");
    if (mark) {
      var ids = words(mark.getAttribute("data-claims"));
      marks().forEach(function (m) { m.classList.toggle("active", m === mark); });
      document.querySelectorAll("li.claim").forEach(function (li) {
        var on = ids.indexOf(li.getAttribute("data-claim-id")) >= 0;
        li.classList.toggle("active", on);
      });
      var claim = document.querySelector("li.claim.active");
      if (claim) { claim.scrollIntoView({ block: "nearest", behavior: "smooth" }); }
    }
  });

  // Arriving at /sources/N#ev-123: mark the target.
  function fromHash() {
    var id = window.location.hash.slice(1);
    if (!/^ev-\d+$/.test(id)) { return; }
    var mark = document.getElementById(id);
    if (mark) { mark.classList.add("active"); return; }
    // A long text is shown a page at a time: an older link (/sources/N#ev-123) to a mark on another page
    // goes to the page holding it.
    var params = new URLSearchParams(window.location.search);
    if (document.querySelector(".source-text[data-shortened]") && document.querySelector("[data-testid=text-pager]")
        && params.get("at") !== id.slice(3)) {
      params.set("at", id.slice(3));
      window.location.replace(window.location.pathname + "?" + params.toString() + "#" + id);
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();

  // Review page: bring the first piece of evidence into view inside the text box (not the page).
  var box = document.querySelector(".review-source .source-text");
  var firstMark = box && box.querySelector("mark.evidence");
  if (firstMark && !window.location.hash) {
    box.scrollTop = Math.max(0, firstMark.offsetTop - box.offsetTop - 48);
  }
  document.querySelectorAll("button.show-marks[hidden]").forEach(function (b) { b.hidden = false; });

  // Victim groups: one more empty row per click, numbered after the last.
  var addButton = document.getElementById("add-victims");
  var rowTemplate = document.getElementById("victim-row-template");
  if (addButton && rowTemplate) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var rows = document.querySelectorAll("#victims-edit fieldset.victim-row");
      var next = 0;
      rows.forEach(function (row) { next = Math.max(next, Number(row.getAttribute("data-row")) + 1); });
      var copy = rowTemplate.content.firstElementChild.cloneNode(true);
      copy.setAttribute("data-row", String(next));
      copy.querySelectorAll("[name]").forEach(function (el) {
        el.setAttribute("name", el.getAttribute("name").replace(/^victims-\d+-/, "victims-" + next + "-"));
      });
      rowTemplate.parentNode.insertBefore(copy, rowTemplate);
    });
  }

  // Checkbox lists (violations, perpetrators): a box filters the choices as one types; the ticked ones
  // always stay in view; Enter in the box ticks the only (or first) match instead of sending the form.
  function fold(value) { return (value || "").toLocaleLowerCase().normalize("NFKD").replace(/[\u064B-\u065F\u0670]/g, ""); }
  document.querySelectorAll("fieldset[data-check-list]").forEach(function (set) {
    var filter = set.querySelector("input.check-filter");
    var none = set.querySelector(".no-match");
    var count = set.querySelector(".check-count");
    // The count as the server wrote it, in either digits (\d is 0-9 only); redrawn in the reader's digits.
    var template = count ? count.textContent.replace(/[0-9\u0660-\u0669]+/, "{n}") : "";
    var NUM = window.TawthiqNumbers || { format: function (v) { return String(v); } };
    var items = Array.prototype.slice.call(set.querySelectorAll("ul.check-options > li"));
    function counted() {
      if (count) { count.textContent = template.replace("{n}", NUM.format(set.querySelectorAll("input[type=checkbox]:checked").length)); }
    }
    function apply() {
      var q = fold(filter.value.trim());
      var shown = 0;
      items.forEach(function (li) {
        var box = li.querySelector("input[type=checkbox]");
        var on = !q || box.checked || fold(li.textContent).indexOf(q) >= 0 || fold(box.value).indexOf(q) >= 0;
        li.hidden = !on;
        if (on) { shown++; }
      });
      if (none) { none.hidden = shown > 0; }
    }
    set.addEventListener("change", counted);
    if (!filter) { return; }
    filter.hidden = false;
    filter.addEventListener("input", apply);
    filter.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      event.preventDefault();
      var match = items.filter(function (li) { return !li.hidden && !li.querySelector("input").checked; })[0];
      if (match && filter.value.trim()) {
        match.querySelector("input").checked = true;
        filter.value = "";
        apply();
        counted();
      }
    });
  });

  // Place: suggestions from the gazetteer; choosing one fills the hidden fields.
  var place = document.getElementById("edit-place");
  var list = document.getElementById("place-options");
  if (place && list) {
    var found = [];
    var timer = null;
    var parts = ["name_ar", "id", "admin1", "lat", "lon", "precision"];
    var hidden = {};
    parts.forEach(function (p) { hidden[p] = document.getElementById("edit-place-" + p); });
    // Several places share a name (Homs the city, the district, the governorate): the option says which.
    var optionText = function (p) {
      var detail = [p.admin1 && p.admin1 !== p.name ? p.admin1 : "", p.level || p.precision].filter(Boolean);
      // The Arabic comma on Arabic pages (the page's language is on <html lang>).
      var comma = document.documentElement.lang === "ar" ? "، " : ", ";
      return p.name + (detail.length ? " (" + detail.join(comma) + ")" : "");
    };
    var fill = function (p) {
      var values = { name_ar: p.name_ar, id: p.place_id, admin1: p.admin1, lat: p.lat, lon: p.lon, precision: p.precision };
      parts.forEach(function (k) { if (hidden[k]) { hidden[k].value = values[k] == null ? "" : String(values[k]); } });
    };
    var chosen = function () {
      var value = place.value.trim();
      for (var i = 0; i < found.length; i++) {
        if (optionText(found[i]) === value) { return found[i]; }
      }
      return null;
    };
    var search = function () {
      var q = place.value.trim();
      if (q.length < 2) { return; }
      fetch("/places/suggest?q=" + encodeURIComponent(q) + "&limit=10", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          found = Array.isArray(items) ? items : [];
          list.textContent = "";
          found.forEach(function (p) {
            var option = document.createElement("option");
            option.value = optionText(p);
            option.label = [p.name_ar, p.precision].filter(Boolean).join(" · ");
            list.appendChild(option);
          });
        })
        .catch(function () { /* the typed name still goes to the server */ });
    };
    place.addEventListener("input", function () {
      var match = chosen();
      if (match) {
        fill(match);
        if (place.value !== match.name) { place.value = match.name; }
        return;
      }
      parts.forEach(function (k) { if (hidden[k]) { hidden[k].value = ""; } });
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
  }

  // Mini-map: the shared offline basemap (basemap.js: neighbours, governorates, towns, labelled in the
  // page's language) and the place: a dot for a town or better, a circle as wide as the place is
  // uncertain for a district, and for a place known only to its governorate that governorate's outline.
  var mapEl = document.getElementById("map");
  if (mapEl && mapEl.classList.contains("mini-map")) {
    if (!window.L) {
      mapEl.classList.add("unavailable");
      return;
    }
    var L = window.L;
    var lat = Number(mapEl.getAttribute("data-lat"));
    var lon = Number(mapEl.getAttribute("data-lon"));
    if (!isFinite(lat) || !isFinite(lon)) { mapEl.classList.add("unavailable"); return; }
    var precision = mapEl.getAttribute("data-precision");
    var lang = (document.documentElement.lang || "en").slice(0, 2) === "ar" ? "ar" : "en";
    var radius = { exact: 0, neighbourhood: 1500, town: 4000, district: 15000, governorate: 40000, country: 0 }[precision] || 0;
    var map = L.map(mapEl, { scrollWheelZoom: false, minZoom: 5 }).setView([lat, lon], 9);
    map.attributionControl.setPrefix(false);
    var spot = radius ? L.circle([lat, lon], { radius: radius, color: "#a4161a", weight: 2, fillOpacity: 0.2 })
                      : L.circleMarker([lat, lon], { radius: 7, color: "#a4161a", weight: 2, fillOpacity: 0.6 });
    // Ray casting over a GeoJSON (Multi)Polygon's outer rings: which governorate holds the point.
    var inside = function (geometry) {
      var polys = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      return polys.some(function (poly) {
        var ring = poly[0], hit = false;
        for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
          if ((yi > lat) !== (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) { hit = !hit; }
        }
        return hit;
      });
    };
    var draw = function (base) {
      var holder = null;
      if (precision === "governorate" && base) {
        base.governorates.eachLayer(function (layer) {
          if (!holder && inside(layer.feature.geometry)) { holder = layer; }
        });
      }
      if (holder) {
        holder.setStyle({ color: "#a4161a", weight: 3, dashArray: "6 3", fillColor: "#a4161a", fillOpacity: 0.12 });
        var el = holder.getElement && holder.getElement();
        if (el) { el.setAttribute("data-testid", "mini-map-governorate"); }
        map.fitBounds(holder.getBounds(), { maxZoom: 9 });
        return;
      }
      spot.addTo(map);
      var dot = spot.getElement && spot.getElement();
      if (dot) { dot.setAttribute("data-testid", "mini-map-spot"); }
      if (radius) { map.fitBounds(spot.getBounds(), { maxZoom: 11 }); }
    };
    var url = mapEl.getAttribute("data-geojson");
    if (url && window.TawthiqBasemap) {
      window.TawthiqBasemap.load(url)
        .then(function (data) { draw(window.TawthiqBasemap.draw(map, data, { lang: lang })); })
        .catch(function () { draw(null); });
    } else {
      draw(null);
    }
  }
})();

// The merge form: a candidate chosen from the list and a number typed in are one choice. The server
// takes the typed number when both come, so choosing from the list empties the box, and typing
// clears the list's choice: what is sent is what the person last chose.
(function () {
  "use strict";
  var typed = document.querySelector('input[name="into_id"]');
  if (!typed) { return; }
  var radios = document.querySelectorAll('input[name="into_choice"]');
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", function () { typed.value = ""; });
  }
  typed.addEventListener("input", function () {
    if (!typed.value) { return; }
    for (var j = 0; j < radios.length; j++) { radios[j].checked = false; }
  });
})();
