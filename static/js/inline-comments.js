/* Ficshelf: inline comments in place. The chapter works without this file: every paragraph
   links to its own comment page.

   With it, selecting text inside one paragraph offers "Comment on this passage", which opens
   the paragraph's comments and form below the paragraph, filled in with the passage and where
   it is; a paragraph's link and its marker open the same in place.

   Where the passage is: character offsets in the paragraph's visible text with its white space
   collapsed, counted in code points, the measure the server checks (ficshelf/feedback/anchors.py,
   userstuff/paragraphs.py): the text whose nearest enclosing block is the paragraph, a <br> or
   an inner block counting as a space. */
(function () {
  "use strict";

  const QUOTE_MAX = 1000;
  // userstuff.paragraphs.BLOCK_TAGS: their text is their own, not the enclosing paragraph's.
  const BLOCKS = new Set(
    ("p h1 h2 h3 h4 h5 h6 li pre dt dd caption figcaption td th summary hr div blockquote " +
      "center address ul ol dl table thead tbody tfoot tr colgroup col figure details")
      .toUpperCase()
      .split(" ")
  );
  // What Python's str.split() splits on: the server collapses white space with it.
  const SPACE = /[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
  const OURS = ".inline-comment-controls, .inline-comment-panel, .inline-comment-selection";

  /* The paragraph's text as the server reads it, before collapsing: `raw`, and where each of
     its text nodes starts in it. */
  function rawText(paragraph) {
    const pieces = [];
    let raw = "";
    (function walk(node) {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          pieces.push({ node: child, start: raw.length });
          raw += child.data;
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.matches(OURS)) continue;
          if (BLOCKS.has(child.tagName) || child.tagName === "BR") {
            raw += " ";
            continue;
          }
          walk(child);
        }
      }
    })(paragraph);
    return { raw, pieces };
  }

  /* `raw` with white space collapsed and trimmed, and for each raw position the collapsed one. */
  function collapsed(raw) {
    const at = new Array(raw.length + 1);
    let text = "";
    let space = false;
    for (let i = 0; i < raw.length; i++) {
      at[i] = text.length + (space && text.length ? 1 : 0);
      if (SPACE.test(raw[i])) {
        space = true;
        continue;
      }
      if (space && text.length) text += " ";
      space = false;
      text += raw[i];
    }
    at[raw.length] = text.length;
    return { text, at: at.map((position) => Math.min(position, text.length)) };
  }

  function rawOffset(measured, container, offset) {
    if (container.nodeType === Node.TEXT_NODE) {
      const piece = measured.pieces.find((p) => p.node === container);
      if (piece) return piece.start + Math.min(offset, container.data.length);
    }
    const point = document.createRange();
    point.setStart(container, offset);
    for (const piece of measured.pieces) {
      if (point.comparePoint(piece.node, 0) >= 0) return piece.start;
    }
    return measured.raw.length;
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  function paragraphOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const paragraph = element && element.closest("[data-p]");
    return paragraph && controlsOf(paragraph) ? paragraph : null;
  }

  function controlsOf(paragraph) {
    for (const controls of paragraph.querySelectorAll(".inline-comment-controls")) {
      if (controls.closest("[data-p]") === paragraph) return controls;
    }
    return null;
  }

  /* The passage selected inside one paragraph, or null. */
  function selectedPassage() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount !== 1 || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    const paragraph = paragraphOf(range.startContainer);
    if (!paragraph || paragraphOf(range.endContainer) !== paragraph) return null;
    const measured = rawText(paragraph);
    const { text, at } = collapsed(measured.raw);
    let start = at[rawOffset(measured, range.startContainer, range.startOffset)];
    let end = at[rawOffset(measured, range.endContainer, range.endOffset)];
    while (start < end && text[start] === " ") start++;
    while (end > start && text[end - 1] === " ") end--;
    if (end <= start) return null;
    let quote = text.slice(start, end);
    if (codePoints(quote) > QUOTE_MAX) quote = Array.from(quote).slice(0, QUOTE_MAX).join("");
    const startPoint = codePoints(text.slice(0, start));
    return {
      paragraph,
      quote,
      start: startPoint,
      end: startPoint + codePoints(quote),
    };
  }

  /* --- The paragraph's comments, in place ------------------------------------------------ */

  function panelOf(paragraph) {
    const next = paragraph.nextElementSibling;
    if (next && next.matches(".inline-comment-panel")) return next;
    return paragraph.querySelector(":scope > .inline-comment-panel");
  }

  async function open(paragraph, passage) {
    const link = controlsOf(paragraph).querySelector(".inline-comment-link");
    const url = new URL(link.href, window.location.href);
    const query = new URLSearchParams({ in_place: "1" });
    if (passage) {
      query.set("quote", passage.quote);
      query.set("start", String(passage.start));
      query.set("end", String(passage.end));
    }
    let html;
    try {
      const response = await fetch(`${url.pathname}?${query}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) throw new Error(String(response.status));
      html = await response.text();
    } catch (error) {
      query.delete("in_place");
      window.location.href = `${url.pathname}?${query}`;
      return;
    }
    let panel = panelOf(paragraph);
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "inline-comment-panel";
      // A list item or a cell holds its panel; any other block has it next to it.
      if (/^(LI|TD|TH|DT|DD)$/.test(paragraph.tagName)) paragraph.append(panel);
      else paragraph.after(panel);
    }
    // Our own page's fragment, rendered by the server from escaped and sanitized content.
    panel.innerHTML = html;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "inline-comment-close link-button";
    close.textContent = "Close";
    close.addEventListener("click", () => panel.remove());
    panel.prepend(close);
    const field = panel.querySelector(passage ? "textarea[name=text]" : ".thread, textarea[name=text]");
    if (field && field.tagName === "TEXTAREA") field.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "nearest" });
  }

  /* --- "Comment on this passage" --------------------------------------------------------- */

  let button = null;
  let pending = null;

  function selectionButton() {
    if (button) return button;
    button = document.createElement("button");
    button.type = "button";
    button.className = "inline-comment-selection";
    button.textContent = "Comment on this passage";
    button.hidden = true;
    // Keep the selection when the button is pressed.
    button.addEventListener("pointerdown", (event) => event.preventDefault());
    button.addEventListener("click", () => {
      const passage = pending;
      button.hidden = true;
      if (passage) open(passage.paragraph, passage);
    });
    document.body.append(button);
    return button;
  }

  let timer = null;
  function selectionChanged() {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      pending = selectedPassage();
      selectionButton().hidden = !pending;
    }, 150);
  }

  function start() {
    if (!document.querySelector(".inline-comment-controls")) return;
    document.addEventListener("selectionchange", selectionChanged);
    document.addEventListener("click", (event) => {
      const link = event.target.closest(".inline-comment-link, .inline-comment-marker");
      if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      const paragraph = link.closest("[data-p]");
      if (!paragraph) return;
      event.preventDefault();
      const panel = panelOf(paragraph);
      if (panel) {
        panel.remove(); // a second click closes it
        return;
      }
      open(paragraph, null);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
