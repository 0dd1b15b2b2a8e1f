// Small progressive enhancements shared by every page. No inline handlers:
// the Content-Security-Policy forbids them, so behaviour hangs off data-* attributes.
(function () {
  "use strict";
  // <button data-confirm="Are you sure?"> asks before its form is sent.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // <select data-autosubmit> sends its form when changed (filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit();
    }
  });
})();
