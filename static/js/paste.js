// Pasting from a word processor into a rich-text chapter keeps its paragraphs, italics and bold.
//
// A browser pastes plain text into a textarea, where Google Docs and Word separate paragraphs
// with single newlines, so the chapter would run together. When the text is written as rich
// text (HTML) and the clipboard carries HTML, insert that HTML instead: the server tidies word
// processors' markup into clean paragraphs. Without JavaScript the plain text is pasted, as ever.
(function () {
  "use strict";

  function formatOf(textarea) {
    var form = textarea.form;
    if (!form) return null;
    var field = form.elements.namedItem("text_format");
    if (!field) return "html"; // summaries and notes are always HTML
    if (field.value !== undefined && field.value !== "") return field.value;
    // A group of radio buttons.
    for (var i = 0; i < field.length; i++) {
      if (field[i].checked) return field[i].value;
    }
    return null;
  }

  function onPaste(event) {
    var textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement)) return;
    if (!textarea.matches("textarea.chapter-text")) return;
    if (formatOf(textarea) !== "html") return;
    var clipboard = event.clipboardData;
    if (!clipboard) return;
    var html = clipboard.getData("text/html");
    if (!html || !html.trim()) return;
    event.preventDefault();
    textarea.setRangeText(html, textarea.selectionStart, textarea.selectionEnd, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("paste", onPaste);
})();
