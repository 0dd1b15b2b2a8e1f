// The review queue: "select all on this page" for the bulk decisions.
(function () {
  "use strict";
  var all = document.querySelector("[data-select-all]");
  if (!all) { return; }
  var picks = function () { return document.querySelectorAll('input[name="ids"]'); };
  var sync = function () {
    var boxes = picks(), ticked = 0;
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { ticked++; } }
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  };
  all.addEventListener("change", function () {
    var boxes = picks();
    for (var i = 0; i < boxes.length; i++) { boxes[i].checked = all.checked; }
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "ids") { sync(); }
  });
  sync();
})();
