/* Pasting from a word processor into rich text keeps its paragraphs, italics and bold.

   A browser pastes plain text into a textarea, and the plain text of Google Docs, Word or
   LibreOffice loses the italics and runs paragraphs together. When the field holds rich text
   (HTML) and the clipboard carries HTML, insert that HTML at the cursor instead: the server
   tidies word processors' markup into clean paragraphs (ficshelf/userstuff/clipboard.py).
   Plain text and Markdown chapters, and any page without JavaScript, paste as ever.
   Loaded from base.html with `defer`: no inline script (the CSP is script-src 'self'). */
(function () {
  "use strict";

  const CHAPTER_TEXT = "textarea.chapter-text";
  // Summaries and notes are always rich text, whatever the chapter's text is written as.
  const RICH_TEXT = 'textarea[name="summary"], textarea[name="notes"], textarea[name="end_notes"]';

  /* The format the chapter text is written as: the form's `text_format` select or radios. */
  function chapterFormat(textarea) {
    const field = textarea.form ? textarea.form.elements.namedItem("text_format") : null;
    if (!field) return "html"; // a form without the choice takes rich text
    return field.value || null; // a <select>, or a RadioNodeList's checked value
  }

  function takesHTML(textarea) {
    if (textarea.matches(RICH_TEXT)) return true;
    return textarea.matches(CHAPTER_TEXT) && chapterFormat(textarea) === "html";
  }

  function onPaste(event) {
    const textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !takesHTML(textarea)) return;
    const html = event.clipboardData ? event.clipboardData.getData("text/html") : "";
    if (!html || !html.trim()) return;
    event.preventDefault();
    textarea.setRangeText(html, textarea.selectionStart, textarea.selectionEnd, "end");
    // Whatever listens for typing in the field hears about the paste too.
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("paste", onPaste);
})();
