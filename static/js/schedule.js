/* A scheduled release's time zone defaults to the browser's own.

   The posting forms' "Time zone" select is marked data-browser-time-zone="fill" while the
   form is new; without JavaScript it stays at the archive's zone, which the author can
   change. A zone the list does not have (an old name) is added, the server knows them all.
   Loaded from base.html with `defer`: no inline script (the CSP is script-src 'self'). */
(function () {
  "use strict";

  function fill() {
    let zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    if (!zone) return;
    document.querySelectorAll('select[data-browser-time-zone="fill"]').forEach(function (select) {
      const known = Array.prototype.some.call(select.options, function (option) {
        return option.value === zone;
      });
      if (!known) select.add(new Option(zone.replace(/_/g, " "), zone));
      select.value = zone;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fill);
  else fill();
})();
