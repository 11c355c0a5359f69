/* Ficshelf: keeps the reader's place, the paragraph on screen when they leave (issue 11).

   On a reading page a logged-in reader gets a section with `data-position-url` (and, when their
   history is paused, none: nothing is sent). This file then notes which paragraph (`[data-p]`
   block of chapter text) is at the top of the window and sends it with navigator.sendBeacon
   when the page is hidden or left, and every 15 seconds while the reader scrolls: it never
   holds the page up, and a failed send costs nothing but the place.

   It also lands a "Continue reading" link: the link's fragment `#p-<id>` names a paragraph by
   its data-p id (paragraphs carry no DOM id of their own), which this file scrolls to the top of
   the window. Without JavaScript the link opens the chapter at its top. */
(function () {
  "use strict";

  const EVERY_MS = 15000;
  const FRAGMENT = /^#p-([1-9][0-9]{0,8})$/;

  // The chapters' text regions in page order, each with its chapter's id (from the section).
  function chapterTexts() {
    return Array.from(document.querySelectorAll("#chapters > .chapter")).map(function (el) {
      return el.querySelector(".userstuff.module[role=region]") || el;
    });
  }

  function paragraphIn(id) {
    for (const text of chapterTexts()) {
      const found = text.querySelector('[data-p="' + id + '"]');
      if (found) return found;
    }
    return null;
  }

  /* Scrolls the paragraph named by the URL's fragment to the top of the window. */
  function land() {
    const match = FRAGMENT.exec(window.location.hash);
    const paragraph = match && paragraphIn(match[1]);
    if (!paragraph) return false;
    paragraph.scrollIntoView({ block: "start" });
    return true;
  }

  // A reload or a step back in history restores the reader's own scroll: leave it be.
  const navigation = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;
  const restored =
    navigation && (navigation.type === "reload" || navigation.type === "back_forward");
  let landed = restored ? false : land();
  let readerMoved = false;
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (type) {
    window.addEventListener(type, function () { readerMoved = true; }, { passive: true });
  });
  // Images and fonts may move the text after the first landing: land again unless the
  // reader has moved on meanwhile.
  window.addEventListener("load", function () {
    if (landed && !readerMoved) land();
  });
  window.addEventListener("hashchange", function () { landed = land(); });

  const section = document.querySelector("[data-position-url]");
  if (!section || !window.FormData) return;
  const url = section.getAttribute("data-position-url");
  const chapterIds = (section.getAttribute("data-chapter-ids") || "").split(/\s+/).filter(Boolean);
  const tokenInput = section.querySelector("input[name=csrfmiddlewaretoken]");
  const texts = chapterTexts();
  if (!url || !tokenInput || texts.length !== chapterIds.length) return;

  // Every paragraph in page order with its chapter, read once: the text does not change.
  const paragraphs = [];
  texts.forEach(function (text, index) {
    text.querySelectorAll("[data-p]").forEach(function (el) {
      paragraphs.push({ el: el, chapter: chapterIds[index], id: el.getAttribute("data-p") });
    });
  });
  if (!paragraphs.length) return;

  /* The first paragraph still showing at the top of the window: a binary search on their
     places, a few measurements however long the chapter. Above the text, the first; below
     it (in the comments), the last. */
  function atTop() {
    let low = 0;
    let high = paragraphs.length - 1;
    if (paragraphs[high].el.getBoundingClientRect().bottom <= 1) return paragraphs[high];
    while (low < high) {
      const middle = (low + high) >> 1;
      if (paragraphs[middle].el.getBoundingClientRect().bottom > 1) high = middle;
      else low = middle + 1;
    }
    return paragraphs[low];
  }

  function key(place) { return place.chapter + ":" + place.id; }

  // What the server already has: where the reader was when the page settled (after landing);
  // only moving on from it is news.
  let sent = key(atTop());
  let scrolled = false;
  window.addEventListener("scroll", function () { scrolled = true; }, { passive: true });

  function send() {
    if (!scrolled) return;
    scrolled = false;
    const place = atTop();
    if (key(place) === sent) return;
    const data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput.value);
    data.append("chapter", place.chapter);
    data.append("paragraph", place.id);
    let queued = false;
    try {
      queued = navigator.sendBeacon ? navigator.sendBeacon(url, data) : false;
    } catch (error) {
      queued = false;
    }
    if (!queued && window.fetch) {
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
        .catch(function () {});
    }
    sent = key(place);
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") send();
  });
  window.addEventListener("pagehide", send);
  window.setInterval(function () {
    if (document.visibilityState === "visible") send();
  }, EVERY_MS);
})();
