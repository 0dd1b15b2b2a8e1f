// Media as evidence: drawing a region (or redaction boxes) on a picture as fractions of it, showing only the
// part fields that fit the chosen source, and taking a span of the source text from the selection.
// No inline code and no inline styles (the CSP forbids both): boxes are SVG rects in a 0-100 viewBox.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var MIN = 0.005; // a box smaller than half a percent of the picture is a click, not a box

  function clamp(v) { return Math.max(0, Math.min(1, v)); }
  function fixed(v) { return String(Math.round(v * 10000) / 10000); }

  function rect(overlay, box) {
    var r = document.createElementNS(SVG, "rect");
    r.setAttribute("class", "region-box");
    r.setAttribute("vector-effect", "non-scaling-stroke");
    r.setAttribute("data-testid", "drawn-box");
    place(r, box);
    overlay.appendChild(r);
    return r;
  }

  function place(r, box) {
    r.setAttribute("x", box.x * 100);
    r.setAttribute("y", box.y * 100);
    r.setAttribute("width", box.w * 100);
    r.setAttribute("height", box.h * 100);
  }

  function parseBoxes(text) {
    return (text || "").split(/[;\n\r]+/).map(function (part) {
      var n = part.split(",").map(Number);
      return n.length === 4 && n.every(isFinite) ? { x: n[0], y: n[1], w: n[2], h: n[3] } : null;
    }).filter(Boolean);
  }

  function setUpDrawing(area) {
    var image = area.querySelector("[data-draw-image]");
    var overlay = area.querySelector("[data-draw-overlay]");
    var target = document.getElementById(area.getAttribute("data-draw-target"));
    var multi = area.hasAttribute("data-draw-multi");
    if (!image || !overlay || !target) { return; }
    var frame = image.parentNode;
    var start = null;
    var current = null;

    function redraw() {
      while (overlay.firstChild) { overlay.removeChild(overlay.firstChild); }
      parseBoxes(target.value).forEach(function (box) { rect(overlay, box); });
    }

    function at(event) {
      var bounds = image.getBoundingClientRect();
      return { x: clamp((event.clientX - bounds.left) / bounds.width),
               y: clamp((event.clientY - bounds.top) / bounds.height) };
    }

    function boxFrom(a, b) {
      return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(a.x - b.x), h: Math.abs(a.y - b.y) };
    }

    frame.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      event.preventDefault();
      start = at(event);
      if (!multi) { while (overlay.firstChild) { overlay.removeChild(overlay.firstChild); } }
      current = rect(overlay, { x: start.x, y: start.y, w: 0, h: 0 });
      if (frame.setPointerCapture) { frame.setPointerCapture(event.pointerId); }
    });
    frame.addEventListener("pointermove", function (event) {
      if (start && current) { place(current, boxFrom(start, at(event))); }
    });
    function finish(event) {
      if (!start || !current) { return; }
      var box = boxFrom(start, at(event));
      start = null;
      if (box.w < MIN || box.h < MIN) {
        overlay.removeChild(current);
        current = null;
        if (!multi) { redraw(); }
        return;
      }
      current = null;
      var text = [fixed(box.x), fixed(box.y), fixed(box.w), fixed(box.h)].join(",");
      target.value = multi && target.value.trim() ? target.value.trim() + "\n" + text : text;
    }
    frame.addEventListener("pointerup", finish);
    frame.addEventListener("pointercancel", function () { start = null; redraw(); });
    target.addEventListener("change", redraw);
    var clear = area.querySelector("[data-draw-clear]");
    if (clear) {
      clear.addEventListener("click", function () { target.value = ""; redraw(); });
    }
    area.redraw = redraw;
    redraw();
  }

  // The incident page's attach form: only the fields that fit the chosen source's kind, and its picture to draw on.
  function setUpAttachForm(form) {
    var select = form.querySelector("[data-attach-source]");
    if (!select) { return; }
    var PARTS = { image: "region", video: "time", audio: "time", pdf: "page" };
    function update(initial) {
      var option = select.options[select.selectedIndex];
      var kind = option ? option.getAttribute("data-kind") : null;
      var wanted = kind ? PARTS[kind] : null;
      Array.prototype.forEach.call(form.querySelectorAll("fieldset[data-part]"), function (set) {
        var show = set.getAttribute("data-part") === wanted;
        set.hidden = !show;
        set.disabled = !show; // a hidden part's stale value is not sent
      });
      var area = form.querySelector("[data-draw]");
      if (area) {
        var still = option ? option.getAttribute("data-still") : null;
        var image = area.querySelector("[data-draw-image]");
        area.hidden = !still;
        if (still && image.getAttribute("src") !== still) { image.setAttribute("src", still); }
        if (!initial) {
          var target = document.getElementById(area.getAttribute("data-draw-target"));
          if (target) { target.value = ""; }
        }
        if (area.redraw) { area.redraw(); }
      }
    }
    select.addEventListener("change", function () { update(false); });
    update(true);
  }

  // Code point offsets of the selection inside the source text (Python counts code points, JS UTF-16 units).
  function offsetIn(container, node, offset) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    var total = 0;
    var text;
    while ((text = walker.nextNode())) {
      if (text === node) { return total + Array.from(text.data.slice(0, offset)).length; }
      total += Array.from(text.data).length;
    }
    return -1;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-span-add]") : null;
    if (!button) { return; }
    var container = document.getElementById(button.getAttribute("data-span-text"));
    var target = document.getElementById(button.getAttribute("data-span-target"));
    var selection = window.getSelection();
    if (!container || !target || !selection || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    if (range.collapsed || !container.contains(range.startContainer) || !container.contains(range.endContainer)) { return; }
    var start = offsetIn(container, range.startContainer, range.startOffset);
    var end = offsetIn(container, range.endContainer, range.endOffset);
    if (start < 0 || end <= start) { return; }
    var line = start + ":" + end;
    target.value = target.value.trim() ? target.value.trim() + "\n" + line : line;
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-draw]"), setUpDrawing);
  Array.prototype.forEach.call(document.querySelectorAll("form[data-attach-form]"), setUpAttachForm);
})();
