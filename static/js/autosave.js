/* Posting forms save what is typed to the server every few seconds, so a closed tab, a
   crash or a lost connection loses nothing (docs/posting.md, "Nothing you write is lost").

   A form marked data-autosave-url posts all its fields there (with its CSRF token) about
   every 5 seconds while they change, and once more when the tab is hidden or closed
   (sendBeacon). The status line under the buttons says what happened. Opening the form again
   offers the kept text back; that offer is the server's, so it works without JavaScript.
   Saving the form clears the autosave; nothing is sent once the form is being submitted.
   Loaded from base.html with `defer`: no inline script (the CSP is script-src 'self'). */
(function () {
  "use strict";

  const INTERVAL = 5000;
  // Buttons and the fields the server keeps itself are not what was written.
  const SKIP = new Set(["post", "save", "save_draft", "schedule", "check"]);

  function newToken() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "";
  }

  function hhmm(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function start(form) {
    const url = form.dataset.autosaveUrl;
    const kind = form.dataset.autosaveKind;
    if (!url || !kind) return;
    const status = form.querySelector("[data-autosave-status]");
    let lastSent = null;
    let submitting = false;
    let inFlight = false;
    let failed = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    function payload() {
      const data = new FormData(form);
      SKIP.forEach(function (name) {
        data.delete(name);
      });
      data.set("autosave_kind", kind);
      data.set("autosave_work", form.dataset.autosaveWork || "");
      data.set("autosave_chapter", form.dataset.autosaveChapter || "");
      return data;
    }

    function fingerprint(data) {
      const parts = [];
      data.forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") parts.push(name + "=" + value);
      });
      return parts.join("\u0000");
    }

    function send() {
      if (submitting || inFlight) return;
      const data = payload();
      const print = fingerprint(data);
      if (print === lastSent && !failed) return;
      inFlight = true;
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-Requested-With": "autosave" },
      })
        .then(function (response) {
          if (response.status === 204) {
            lastSent = print;
            failed = false;
            say("Saved at " + hhmm(new Date()) + " (not posted: only you can see it here).");
            return;
          }
          failed = true;
          if (response.type === "opaqueredirect") {
            say("Not saved: you are logged out. Log in in another tab — this page will retry.");
            return;
          }
          if (response.status === 409) {
            submitting = true; // this form was saved already; stop
            return;
          }
          const plain = (response.headers.get("Content-Type") || "").indexOf("text/plain") === 0;
          return response.text().then(function (text) {
            const why = plain && text ? text.replace(/\.$/, "") : "the server refused it";
            say("Not saved: " + why + ".");
          });
        })
        .catch(function () {
          failed = true;
          say("Not saved: offline — will retry.");
        })
        .finally(function () {
          inFlight = false;
        });
    }

    function beacon() {
      if (submitting || !navigator.sendBeacon) return;
      const data = payload();
      const print = fingerprint(data);
      if (print === lastSent) return;
      if (navigator.sendBeacon(url, data)) lastSent = print;
    }

    // The page as it came is the starting point: only changes are sent.
    lastSent = fingerprint(payload());
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.setInterval(send, INTERVAL);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") beacon();
    });
    window.addEventListener("pagehide", beacon);
    window.addEventListener("pageshow", function (event) {
      // Back to this page from the browser's cache: it is a new form now, with a new
      // one-time token, so what is typed into it next is saved and autosaved anew.
      if (!event.persisted) return;
      submitting = false;
      const token = form.elements.namedItem("submission_id");
      const fresh = newToken();
      if (token && fresh) token.value = fresh;
    });
  }

  function init() {
    document.querySelectorAll("form[data-autosave-url]").forEach(start);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
