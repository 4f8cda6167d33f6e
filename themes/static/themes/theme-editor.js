// Live preview of the theme settings page: copies the form's colours, font and radius into the
// preview's CSS custom properties as the brand admin types, and reports contrast (WCAG 2.1).
(function () {
  "use strict";
  var form = document.getElementById("theme-form");
  var preview = document.getElementById("theme-preview");
  if (!form || !preview) return;
  var pairs = JSON.parse(document.getElementById("contrast-pairs").textContent);
  var texts = JSON.parse(document.getElementById("contrast-messages").textContent);
  var report = document.getElementById("contrast-report");

  function channel(c) { c = c / 255; return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); }
  function luminance(hex) {
    var r = parseInt(hex.substr(1, 2), 16), g = parseInt(hex.substr(3, 2), 16), b = parseInt(hex.substr(5, 2), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }
  function ratio(a, b) { var x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }

  function update() {
    var colours = {};
    form.querySelectorAll("[data-token]").forEach(function (input) {
      var token = input.getAttribute("data-token");
      var value = input.value;
      if (token === "--radius") value = (parseInt(value, 10) || 0) + "px";
      preview.style.setProperty(token, value);
      if (token.indexOf("--color-") === 0) colours[token.slice(8).replace("-", "_")] = value;
    });
    var problems = [];
    pairs.forEach(function (p) {
      if (!colours[p.fg] || !colours[p.bg]) return;
      var r = ratio(colours[p.fg], colours[p.bg]);
      if (r < p.min) problems.push(p.fg + " / " + p.bg + " " + r.toFixed(2) + ":1");
    });
    report.textContent = problems.length ? texts.low + " " + problems.join(", ") : texts.ok;
  }
  form.addEventListener("input", update);
  update();
})();
