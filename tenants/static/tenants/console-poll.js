/* Progress of a provisioning job: re-fetch the status fragment every second and swap it in, until
   the job is over. Without JavaScript the page offers a "Refresh" link instead (no meta refresh:
   a page that reloads itself is hard to use with a screen reader). Scripts come from 'self' only
   (CSP), hence this file rather than an inline script. */
(function () {
  "use strict";
  function poll(section) {
    var url = section.getAttribute("data-poll-url");
    if (!url || section.getAttribute("data-final") === "true") { return; }
    window.setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.firstElementChild;
          if (!fresh) { return; }
          section.replaceWith(fresh);
          poll(fresh);
        })
        .catch(function () { poll(section); });
    }, 1000);
  }
  document.querySelectorAll("[data-poll-url]").forEach(poll);
  document.querySelectorAll(".no-js-only").forEach(function (el) { el.hidden = true; });
}());
