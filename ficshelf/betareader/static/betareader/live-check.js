/* The beta reader's findings panel beside a posting form's text
   (templates/betareader/_live_check.html). htmx posts the form after each pause in typing and
   puts the findings in the panel; this file:
   - shows the panel, which is hidden without JavaScript (the form's "Check chapter" button and
     the server's report stay for that);
   - tells the server where the caret is (its paragraphs are checked first);
   - lets the panel show the server's refusals (400, 413, 429) and a lost log-in;
   - says in one status line, for screen readers, what the last check found;
   - applies a fix in the text box: exactly the span the server named, and only while the
     text there still reads what the server saw (else it checks again and changes nothing);
     through the browser's own editing, so Undo takes it back. The change is an input like
     any other: the check runs again after the pause, and the autosave keeps it.
   Loaded by the posting forms with `defer`: no inline script (the CSP is script-src 'self'). */
(function () {
  "use strict";

  const PANEL = "[data-live-check]";

  function textBox(panel) {
    return document.getElementById(panel.dataset.liveCheckFor);
  }

  function results(panel) {
    return panel.querySelector(".live-check-results");
  }

  function panelOf(event) {
    const elt = event.detail && event.detail.elt;
    return elt && elt.matches && elt.matches(PANEL) ? elt : null;
  }

  function say(panel, text) {
    const status = panel.querySelector("[data-live-check-status]");
    if (status && status.textContent !== text) status.textContent = text;
  }

  function note(panel, className, text) {
    const message = document.createElement("p");
    message.className = className;
    message.textContent = text;
    results(panel).replaceChildren(message);
    say(panel, text);
  }

  function init() {
    if (!window.htmx) return;
    document.querySelectorAll(PANEL).forEach(function (panel) {
      if (textBox(panel)) panel.hidden = false;
    });
  }

  document.addEventListener("htmx:configRequest", function (event) {
    const panel = panelOf(event);
    if (!panel) return;
    const box = textBox(panel);
    if (box) event.detail.parameters.caret = String(box.selectionStart || 0);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const panel = panelOf(event);
    if (!panel) return;
    const xhr = event.detail.xhr;
    const asked = new URL(panel.getAttribute("hx-post"), window.location.href).pathname;
    if (xhr.responseURL && new URL(xhr.responseURL).pathname !== asked) {
      // Sent to the log-in page: the session ended (the form itself still holds the text).
      event.detail.shouldSwap = false;
      note(panel, "flash warning", "Not checked: you are logged out. Log in in another tab; the text here is kept.");
      return;
    }
    if (xhr.status === 400 || xhr.status === 413 || xhr.status === 429) {
      event.detail.shouldSwap = true; // the server's message for the author
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const panel = panelOf(event);
    if (!panel) return;
    const summary = results(panel).querySelector("[data-live-summary]");
    const message = results(panel).querySelector(".flash");
    if (summary) say(panel, "Beta reader: " + summary.dataset.liveSummary + ".");
    else if (message) say(panel, message.textContent);
  });

  document.addEventListener("htmx:sendError", function (event) {
    const panel = panelOf(event);
    if (panel) note(panel, "hint", "Not checked: the archive did not answer. It tries again when you next pause typing.");
  });

  function select(box, start, end) {
    box.focus();
    box.setSelectionRange(start, end);
  }

  /* Replace box.value[start:end] with `replacement`, as an edit the browser can undo. */
  function replaceRange(box, start, end, replacement) {
    const wanted = box.value.slice(0, start) + replacement + box.value.slice(end);
    select(box, start, end);
    let done = false;
    try {
      done = document.execCommand(replacement ? "insertText" : "delete", false, replacement);
    } catch (error) {
      done = false;
    }
    if (!done || box.value !== wanted) {
      box.value = wanted;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    const caret = start + replacement.length;
    box.setSelectionRange(caret, caret);
  }

  /* Until the next check comes back, the other findings' offsets follow the change; one the
     change overlaps is left without its buttons. */
  function shiftOthers(panel, start, end, delta) {
    panel.querySelectorAll("[data-live-fix], [data-live-show]").forEach(function (button) {
      const from = Number(button.dataset.start);
      const to = Number(button.dataset.end);
      if (from >= end) {
        button.dataset.start = String(from + delta);
        button.dataset.end = String(to + delta);
      } else if (to > start) {
        button.disabled = true;
      }
    });
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-live-fix], [data-live-show]");
    const panel = button && button.closest(PANEL);
    const box = panel && textBox(panel);
    if (!box || button.disabled) return;
    const start = Number(button.dataset.start);
    const end = Number(button.dataset.end);
    if (button.hasAttribute("data-live-show")) {
      select(box, start, end);
      return;
    }
    if (box.value.slice(start, end) !== button.dataset.expected) {
      // A stale finding: the text moved on since it was checked. Never change the wrong text.
      say(panel, "The text changed since it was checked: checking it again.");
      panel.querySelectorAll("[data-live-fix]").forEach(function (other) {
        other.disabled = true; // all as stale as this one, until the check comes back
      });
      window.htmx.trigger(panel, "live-check-continue");
      return;
    }
    const replacement = button.dataset.replacement;
    const finding = button.closest("[data-live-finding]");
    replaceRange(box, start, end, replacement);
    if (finding) finding.remove();
    shiftOthers(panel, start, end, replacement.length - (end - start));
    say(panel, "Fixed. Checking the text again.");
  });

  // Deferred scripts run before DOMContentLoaded, htmx's after this one (base.html's order).
  if (document.readyState === "complete") init();
  else document.addEventListener("DOMContentLoaded", init);
})();
