// The review queue and the review item page: "select all on this page", and keyboard shortcuts.
//
// A shortcut is declared in the page: an element with data-shortcut="a" (several keys: "n j") is
// clicked (a button, a link) or opened (a <details>, focusing its first field) when the key is
// pressed. On the queue, j/k (or n/p) move through the rows, x ticks the current one and o or
// Enter opens it. "?" shows the legend. Nothing fires while typing in a field, or with Ctrl, Alt
// or Meta held (the browser's own shortcuts stay theirs).
(function () {
  "use strict";

  // ---- select all on this page
  var all = document.querySelector("[data-select-all]");
  var picks = function () { return document.querySelectorAll('input[name="ids"]'); };
  var sync = function () {
    if (!all) { return; }
    var boxes = picks(), ticked = 0;
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { ticked++; } }
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  if (all) {
    all.addEventListener("change", function () {
      var boxes = picks();
      for (var i = 0; i < boxes.length; i++) { boxes[i].checked = all.checked; }
    });
    document.addEventListener("change", function (event) {
      if (event.target && event.target.name === "ids") { sync(); }
    });
    sync();
  }

  // ---- keyboard shortcuts
  var typing = function (target) {
    if (!target || !target.tagName) { return false; }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  };
  var rows = function () { return document.querySelectorAll('[data-testid="review-row"]'); };
  var current = -1;
  var moveTo = function (index) {
    var list = rows();
    if (!list.length) { return false; }
    index = Math.max(0, Math.min(list.length - 1, index));
    for (var i = 0; i < list.length; i++) { list[i].classList.toggle("current", i === index); }
    list[index].setAttribute("aria-current", "true");
    if (current >= 0 && current !== index && list[current]) { list[current].removeAttribute("aria-current"); }
    current = index;
    var open = list[index].querySelector('[data-testid="review-open"]');
    if (open) { open.focus(); }
    return true;
  };
  var rowKeys = {
    j: function () { return moveTo(current + 1); },
    n: function () { return moveTo(current + 1); },
    k: function () { return moveTo(current - 1); },
    p: function () { return moveTo(current - 1); },
    x: function () {
      var row = rows()[current];
      var box = row && row.querySelector('input[name="ids"]');
      if (!box) { return false; }
      box.checked = !box.checked;
      sync();
      return true;
    },
    o: function () {
      var row = rows()[current];
      var open = row && row.querySelector('[data-testid="review-open"]');
      if (!open) { return false; }
      open.click();
      return true;
    }
  };
  var legend = document.querySelector("[data-shortcut-legend]");
  var declared = function (key) {
    var found = document.querySelectorAll("[data-shortcut]");
    for (var i = 0; i < found.length; i++) {
      if ((" " + found[i].getAttribute("data-shortcut") + " ").indexOf(" " + key + " ") >= 0) { return found[i]; }
    }
    return null;
  };
  var use = function (element) {
    // A panel (a folded <details>, or the open correction form's <section>): open it and put the cursor in it.
    var tag = element.tagName.toLowerCase();
    if (tag === "details" || tag === "section") {
      if (tag === "details") { element.open = true; }
      var field = element.querySelector("textarea, input:not([type=hidden]), select");
      if (field) { field.focus(); }
      element.scrollIntoView({block: "nearest"});
    } else {
      element.click();
    }
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented || typing(event.target)) { return; }
    var key = event.key;
    if (key === "?") {
      if (legend) { legend.open = !legend.open; event.preventDefault(); }
      return;
    }
    if (key === "Escape" && legend && legend.open) { legend.open = false; return; }
    if (rows().length && key === "Enter" && current >= 0 && rowKeys.o()) { event.preventDefault(); return; }
    if (key.length !== 1) { return; }
    key = key.toLowerCase();
    if (rows().length && rowKeys[key] && rowKeys[key]()) { event.preventDefault(); return; }
    var element = declared(key);
    if (element) { event.preventDefault(); use(element); }
  });
})();
