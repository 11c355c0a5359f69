// The blocklist's and saved searches' small helpers (issue 11); every page works without it.
// - "Suggest" on the blocklist's "Block a tag" form picks which kind of tag the tag field
//   offers as one types (static/js/tag-autocomplete.js reads the kind at each request);
// - a saved search's feed address is selected whole when focused, ready to copy.
// Loaded from base.html with `defer`: no inline script (the CSP is script-src 'self').
(function () {
  "use strict";

  function wireKind(form) {
    const kind = form.querySelector('select[name="kind"]');
    const tag = form.querySelector("input[data-blocklist-tag]");
    if (!kind || !tag) return;
    const apply = () => {
      tag.dataset.tagAutocomplete = kind.value;
    };
    kind.addEventListener("change", apply);
    apply();
  }

  function init() {
    document.querySelectorAll(".block-tag-form").forEach(wireKind);
    document.querySelectorAll("input.feed-url").forEach((input) => {
      input.addEventListener("focus", () => input.select());
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
