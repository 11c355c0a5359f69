/* Ficshelf: small progressive enhancements. The site works without this file.

   Oversized posts: the server refuses a request over DATA_UPLOAD_MAX_MEMORY_SIZE before the form
   can say anything, so a writer would land on an error page. Before a POST form is sent, estimate
   its encoded size; when it is over the limit (base.html's <meta name="ficshelf-upload-limit">),
   keep the page, with the text where it is, and say how much is too much. */
(function () {
  "use strict";

  const MESSAGE_CLASS = "upload-too-large";
  const encoder = new TextEncoder();

  function uploadLimit() {
    const meta = document.querySelector('meta[name="ficshelf-upload-limit"]');
    const limit = meta ? Number.parseInt(meta.content, 10) : NaN;
    return Number.isFinite(limit) && limit > 0 ? limit : null;
  }

  function formEntries(form, submitter) {
    try {
      return new FormData(form, submitter || undefined);
    } catch (error) {
      return new FormData(form); // a browser without the submitter argument
    }
  }

  /* The bytes Django counts against the limit: the whole body for a urlencoded form; for a
     multipart one, each field's name and value (files do not count). Browsers send line
     breaks as CRLF. */
  function encodedSize(form, submitter) {
    const enctype = submitter && submitter.hasAttribute("formenctype") ? submitter.formEnctype : form.enctype;
    const multipart = enctype === "multipart/form-data";
    const params = new URLSearchParams();
    let size = 0;
    for (const [name, value] of formEntries(form, submitter)) {
      if (typeof value !== "string") continue;
      const text = value.replace(/\r?\n/g, "\r\n");
      if (multipart) {
        size += encoder.encode(name).length + 2 + encoder.encode(text).length;
      } else {
        params.append(name, text);
      }
    }
    return multipart ? size : params.toString().length;
  }

  function formatSize(bytes) {
    if (bytes >= 1024 * 1024) {
      const figure = bytes / (1024 * 1024);
      return figure.toLocaleString("en", { maximumFractionDigits: figure < 10 ? 1 : 0 }) + " MB";
    }
    if (bytes >= 1024) return Math.ceil(bytes / 1024) + " KB";
    return bytes + " bytes";
  }

  const messages = new WeakMap();

  function showTooLarge(form, submitter, size, limit) {
    let message = messages.get(form);
    if (!message) {
      message = document.createElement("p");
      message.className = "flash error " + MESSAGE_CLASS;
      message.setAttribute("role", "alert");
      messages.set(form, message);
    }
    message.textContent =
      "This is too large to send: " + formatSize(size) + ", and the archive takes at most " +
      formatSize(limit) + ", so it is " + formatSize(size - limit) + " too much. " +
      "Nothing was sent, and your text is still here. Shorten it, or split it into " +
      "more chapters, then send it again.";
    // Beside the button that was pressed, where the writer is looking.
    let anchor = submitter && form.contains(submitter) ? submitter : null;
    const actions = anchor && anchor.closest(".actions");
    if (actions && form.contains(actions)) anchor = actions;
    if (anchor) {
      anchor.before(message);
    } else {
      form.append(message);
    }
    message.scrollIntoView({ block: "nearest" });
  }

  function clearTooLarge(form) {
    const message = messages.get(form);
    if (message) message.remove();
  }

  function isPost(form, submitter) {
    const method = submitter && submitter.hasAttribute("formmethod") ? submitter.formMethod : form.method;
    return method === "post" || form.hasAttribute("hx-post");
  }

  // Capturing, so this runs before htmx or any other listener sends the form.
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target;
      const limit = uploadLimit();
      if (!(form instanceof HTMLFormElement) || limit === null || !isPost(form, event.submitter)) return;
      const size = encodedSize(form, event.submitter);
      if (size <= limit) {
        clearTooLarge(form);
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      showTooLarge(form, event.submitter, size, limit);
    },
    true,
  );
})();
