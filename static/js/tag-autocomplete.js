/* Tag fields offer canonical tags as you type (the posting form's fandoms, relationships,
   characters and additional tags, and the wrangling page's "synonym of" field).

   A field marked data-tag-autocomplete="<kind>" gets a <datalist>; after a pause in typing,
   the last comma-separated name is sent to data-autocomplete-url (tags.views.autocomplete),
   and each tag found is offered as the whole field's value with that name completed, so the
   names already typed stay. Without JavaScript the field is a plain comma-separated text box.
   Loaded from base.html with `defer`: no inline script (the CSP is script-src 'self'). */
(function () {
  "use strict";

  const DELAY = 200; // milliseconds of quiet before asking
  let lists = 0;

  function attach(input) {
    const datalist = document.createElement("datalist");
    datalist.id = "tag-autocomplete-" + ++lists;
    input.after(datalist);
    input.setAttribute("list", datalist.id);
    let timer = null;
    let pending = null;
    let lastTerm = "";

    async function ask() {
      const value = input.value;
      const cut = value.lastIndexOf(",");
      const before = cut < 0 ? "" : value.slice(0, cut + 1) + " ";
      const term = value.slice(cut + 1).trim();
      if (!term || term === lastTerm) return;
      lastTerm = term;
      if (pending) pending.abort();
      pending = new AbortController();
      const url = new URL(input.dataset.autocompleteUrl, window.location.href);
      url.searchParams.set("kind", input.dataset.tagAutocomplete);
      url.searchParams.set("term", term);
      try {
        const response = await fetch(url, {
          signal: pending.signal,
          headers: { Accept: "application/json" },
        });
        if (!response.ok) return;
        const { tags } = await response.json();
        datalist.replaceChildren(
          ...tags.map((tag) => {
            const option = document.createElement("option");
            option.value = before + tag.name;
            if (!tag.canonical) option.label = tag.name + " (not canonical)";
            return option;
          }),
        );
      } catch (error) {
        if (error.name !== "AbortError") throw error;
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY);
    });
  }

  document.querySelectorAll("input[data-tag-autocomplete][data-autocomplete-url]").forEach(attach);
})();
