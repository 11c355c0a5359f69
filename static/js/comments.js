/* Comments: let htmx show a comment form's answer when the server refused it (400: a message
   on the form; 429: too many comments, wait and send again), instead of dropping it. Without
   this file, or without htmx, the forms post as plain forms. */
(function () {
  "use strict";
  if (window.ficshelfComments) return;
  window.ficshelfComments = true;

  const SHOWN = new Set([400, 403, 429]);

  document.addEventListener("htmx:beforeSwap", function (event) {
    const element = event.detail.elt;
    if (!element || !element.closest || !element.closest("form.comment-form")) return;
    if (SHOWN.has(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
