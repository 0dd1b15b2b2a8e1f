// The veil over graphic material on a source page. Images of violence are shown
// blurred and greyscale until the reviewer asks, to protect people who review them
// all day; the same button veils it again. No inline code: the CSP forbids it.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-graphic-toggle]") : null;
    if (!button) {
      return;
    }
    var img = document.getElementById(button.getAttribute("data-graphic-toggle"));
    if (!img) {
      return;
    }
    var veiled = img.classList.toggle("veiled");
    button.setAttribute("aria-pressed", veiled ? "false" : "true");
    button.textContent = button.getAttribute(veiled ? "data-label-show" : "data-label-hide");
  });
})();
