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

// The interface's own numbers drawn by the page's scripts (map counts and popups, chart axes and
// tooltips, the timeline's chosen range, counters), in the digits the reader chose. The server says
// which on <body data-numerals>: "arab" (Arabic-Indic ٠-٩) only on Arabic pages for a reader who
// chose them (web/digits.py, cookie tawthiq_digits), "latn" (0-9) otherwise. Data (report text,
// names, form values, addresses) never goes through here: it keeps the digits it was written in.
(function () {
  "use strict";
  var root = document.documentElement;
  var arabic = (root.lang || "en").slice(0, 2) === "ar";
  var arab = arabic && !!document.body && document.body.getAttribute("data-numerals") === "arab";
  // Spelled out in full: a bare "ar" leaves the digits to the browser's data, which differ between versions.
  var locale = arabic ? (arab ? "ar-u-nu-arab" : "ar-u-nu-latn") : "en-u-nu-latn";
  var plain = new Intl.NumberFormat(locale);
  var EASTERN = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669";
  window.TawthiqNumbers = {
    locale: locale,
    arab: arab,
    // A number as the page writes it ("1,234" / "١٬٢٣٤"); anything that is not a number, as it is.
    format: function (value, options) {
      if (typeof value !== "number" || !isFinite(value)) {
        return value === undefined || value === null ? "" : String(value);
      }
      return (options ? new Intl.NumberFormat(locale, options) : plain).format(value);
    },
    // The Western digits of an interface text the server made (a date in words, 2016-03-01) in the
    // chosen digits; a separator between two digits takes its Arabic form, as on the server's pages.
    digits: function (text) {
      var s = text === undefined || text === null ? "" : String(text);
      if (!arab) {
        return s;
      }
      return s.replace(/(\d)[.](?=\d)/g, "$1\u066b").replace(/(\d),(?=\d)/g, "$1\u066c")
        .replace(/[0-9]/g, function (d) { return EASTERN.charAt(Number(d)); });
    }
  };
})();
