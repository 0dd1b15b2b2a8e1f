// Documenting an incident by hand: selecting words in the shown source text fills
// the quote and its offsets. Offsets are Python string indices (code points) into
// the source text exactly as stored, which the page also carries as JSON: the
// browser's copy in the page has its line breaks normalised (CR LF -> LF), and
// JavaScript counts UTF-16 units, so both are mapped back here.
(function () {
  "use strict";
  var shown = document.getElementById("source-text");
  var data = document.getElementById("source-json");
  var start = document.getElementById("span-start");
  var end = document.getElementById("span-end");
  var quote = document.getElementById("quote");
  if (!shown || !data || !start || !end || !quote) { return; }
  var exact = JSON.parse(data.textContent);

  // For each UTF-16 index of the text as the browser shows it, the UTF-16 index in `exact`.
  var toExact = [];
  for (var i = 0; i < exact.length; i++) {
    if (exact[i] === "\r" && exact[i + 1] === "\n") { continue; } // CR LF shows as one LF
    toExact.push(i);
  }
  toExact.push(exact.length);

  function codePoints(utf16) { // code points before a UTF-16 index
    var n = 0;
    for (var k = 0; k < utf16; k++) {
      var c = exact.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff && k + 1 < utf16) { k++; }
      n++;
    }
    return n;
  }

  function offsetIn(node, offset) { // characters of the shown text before (node, offset)
    var range = document.createRange();
    range.selectNodeContents(shown);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function update() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var r = sel.getRangeAt(0);
    if (!shown.contains(r.startContainer) || !shown.contains(r.endContainer)) { return; }
    var a = offsetIn(r.startContainer, r.startOffset);
    var b = offsetIn(r.endContainer, r.endOffset);
    if (b <= a || b >= toExact.length) { return; }
    var s = toExact[a], e = toExact[b];
    start.value = String(codePoints(s));
    end.value = String(codePoints(e));
    quote.value = exact.slice(s, e);
  }

  shown.addEventListener("mouseup", update);
  shown.addEventListener("keyup", update);
  // A quote typed or edited by hand has no offsets: the server finds it in the text.
  quote.addEventListener("input", function () { start.value = ""; end.value = ""; });
})();
