"""Helpers for the XSS figure: the public payload lists, every field a person can write filled
with them through the real services, and a Chromium page that records anything they run.

Fields without a length limit worth the name (chapter text, notes, comments) take a batch of
payloads each, so a few hundred pages carry all of them; fields with a short limit (titles,
names) take as many payloads as fit, one object each, shown many to a listing page.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

from django.core.exceptions import ValidationError

from ficshelf.userstuff.sanitizer import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

PAYLOAD_DIR = Path(__file__).resolve().parents[3] / "shared" / "security" / "xss"

# Installed before any page script: the dialog functions record instead of opening anything,
# and CSP violations are kept apart (CSP blocking a payload is not the payload running).
HOOKS = """
(() => {
  const calls = [], csp = [];
  Object.defineProperty(window, "__xss", {value: calls});
  Object.defineProperty(window, "__csp", {value: csp});
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function (...args) {
      calls.push(name + "(" + args.map(String).join(",") + ")");
    };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
  }, true);
})();
"""

# After load: what in the DOM could still run, and a poke at anything with a handler.
# A URL's scheme as the URL standard reads it: leading controls and spaces trimmed, tabs and
# newlines dropped.
INSPECT = """
() => {
  const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "poster", "data",
    "cite", "background", "xlink:href", "srcdoc", "srcset", "ping", "manifest"]);
  const handlers = [], urls = [];
  for (const el of document.querySelectorAll("*")) {
    let poke = false;
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/^[\\u0000-\\u0020]+/, "")
        .replace(/[\\t\\n\\r]/g, "").toLowerCase();
      if (name.startsWith("on")) {
        handlers.push(el.tagName + " " + name);
        poke = true;
      }
      const image = el.tagName === "IMG" && value.startsWith("data:image/");
      if (URL_ATTRIBUTES.has(name) && /^(javascript|vbscript|data):/.test(value) && !image)
        urls.push(el.tagName + " " + name + "=" + value.slice(0, 40));
    }
    if (poke) {
      for (const type of ["mouseover", "focus", "click", "error", "load"])
        el.dispatchEvent(new Event(type));
    }
  }
  return {handlers, urls};
}
"""


# A work or a chapter costs a few dozen milliseconds to post, and a title holds three payloads
# or so: work titles take every second payload and chapter titles the others, which keeps the
# build to a few hundred objects. (Series titles, which are cheap, take every payload.)
TITLE_SAMPLE = slice(0, None, 2)


def load_payloads() -> list[str]:
    """Every payload of every list, once, in the lists' order."""
    seen: dict[str, None] = {}
    for path in sorted(PAYLOAD_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.strip():
                seen.setdefault(line, None)
    return list(seen)


def pack(payloads: list[str], limit: int, sep: str = " ") -> list[list[str]]:
    """The payloads in batches whose joined length stays within `limit`; longer ones are left
    out (a field refuses them whole, so they are never stored there)."""
    batches: list[list[str]] = []
    current: list[str] = []
    size = 0
    for payload in payloads:
        if len(payload) > limit:
            continue
        if current and size + len(sep) + len(payload) > limit:
            batches.append(current)
            current, size = [], 0
        size += len(payload) + (len(sep) if current else 0)
        current.append(payload)
    if current:
        batches.append(current)
    return batches


@dataclass
class Plan:
    """What was tried where, and which pages show it."""

    tried: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    # (url, who opens it: False a guest, True the logged-in reader, "staff" an admin)
    pages: list[tuple[str, bool | str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, count: int, refused: int = 0) -> None:
        self.tried[name] = self.tried.get(name, 0) + count
        self.refused[name] = self.refused.get(name, 0) + refused

    def page(self, url: str, *, login: bool | str = False) -> None:
        if (url, login) not in self.pages:
            self.pages.append((url, login))


def _attempt(plan: Plan, name: str, batch: list[str], save, sep: str):
    """Save the batch; if the service refuses it, each payload alone (counting refusals)."""
    try:
        result = save(sep.join(batch))
        plan.add(name, len(batch))
        return result
    except ValidationError:
        pass
    result = None
    for payload in batch:
        try:
            result = save(payload) or result
            plan.add(name, 1)
        except ValidationError:
            plan.add(name, 1, refused=1)
    return result


def build(payloads: list[str], *, quick: bool = False) -> Plan:
    """Every field filled with the payloads through the services; returns the plan.
    `quick` leaves out the one-object-per-payload fields (for the stored-value run)."""
    from ficshelf.accounts.services import add_pseud
    from ficshelf.bookmarks.services import bookmark_work
    from ficshelf.feedback.anchors import Anchor
    from ficshelf.feedback.services import comments
    from ficshelf.series.services import add_work_to_series, create_series
    from ficshelf.shelf.searches import save_search
    from ficshelf.tags.models import TagKind, tag_to_param
    from ficshelf.tags.services import TagNameError, check_tag_name
    from ficshelf.works.services import ChapterContent, add_chapter, create_work
    from tests.factories import make_metadata, make_user

    plan = Plan()
    import time as _t

    _t0 = [_t.perf_counter()]

    def lap(what):
        now = _t.perf_counter()
        plan.timings[what] = round(now - _t0[0], 2)
        _t0[0] = now

    author = make_user("xssauthor")
    pseud = author.default_pseud

    def work(**meta):
        text = meta.pop("text", "<p>Plain text.</p>")
        fmt = meta.pop("text_format", "html")
        chapter = ChapterContent(text=text, text_format=fmt, title=meta.pop("chapter_title", ""))
        return create_work(
            creators=[pseud], metadata=make_metadata(**meta), chapter=chapter, post=True
        )

    # Chapter text in each format: a few hundred payloads a chapter, one paragraph each.
    for fmt in ("html", "markdown", "plain"):
        first = None
        for batch in pack(payloads, 40_000, "\n\n"):

            def save(text, fmt=fmt):
                nonlocal first
                if first is None:
                    first = work(title=f"Text {fmt}", text=text, text_format=fmt)
                    return first
                return add_chapter(
                    work=first, editor=author, content=ChapterContent(text=text, text_format=fmt)
                )

            _attempt(plan, f"chapter text ({fmt})", batch, save, "\n\n")
        first.refresh_from_db()
        for chapter in first.chapters.all():
            plan.page(f"/works/{first.pk}/chapters/{chapter.pk}")

    lap("chapter text")
    # Chapter title, summary, notes, end notes: one chapter each batch, all in one full view.
    holder = work(title="Chapter fields")
    fields = {
        "title": pack(payloads[TITLE_SAMPLE], 255) if not quick else pack(payloads[:200], 255),
        "summary": pack(payloads, 1_200, "\n\n"),
        "notes": pack(payloads, 4_900, "\n\n"),
        "end_notes": pack(payloads, 4_900, "\n\n"),
    }
    for index in range(max(len(b) for b in fields.values())):
        parts = {name: batches[index] for name, batches in fields.items() if index < len(batches)}
        values = {name: (" " if name == "title" else "\n\n").join(b) for name, b in parts.items()}
        try:
            add_chapter(
                work=holder,
                editor=author,
                content=ChapterContent(text=f"<p>Chapter {index}.</p>", **values),
            )
            for name, batch in parts.items():
                plan.add(f"chapter {name.replace('_', ' ')}", len(batch))
        except ValidationError as refusal:
            raise AssertionError(f"chapter {index} refused: {refusal}") from None
    plan.page(f"/works/{holder.pk}?view_full_work=true")
    plan.page(f"/works/{holder.pk}/navigate")

    lap("chapter fields")
    # Work title (one work per batch), summary, notes, end notes and tags on the same works.
    tag_payloads = [p for p in payloads if _tag_ok(check_tag_name, TagNameError, p)]
    plan.add("tag names (refused by the tag rules)", 0, len(payloads) - len(tag_payloads))
    titles = pack(payloads[1::2], 255) if not quick else pack(payloads[:100], 255)
    summaries = pack(payloads, 1_200, "\n\n")
    notes = pack(payloads, 4_900, "\n\n")
    kinds = {
        "fandoms": TagKind.FANDOM,
        "relationships": TagKind.RELATIONSHIP,
        "characters": TagKind.CHARACTER,
        "freeforms": TagKind.FREEFORM,
    }
    works = []
    count = max(len(titles), len(summaries), len(tag_payloads))
    for index in range(count):
        meta = {"title": " ".join(titles[index]) if index < len(titles) else f"Work {index}"}
        if index < len(summaries):
            meta["summary"] = "\n\n".join(summaries[index])
        if index < len(notes):
            meta["notes"] = meta["end_notes"] = "\n\n".join(notes[index])
        if index < len(tag_payloads):
            for name in kinds:
                meta[name] = [tag_payloads[index]]
        works.append(work(**meta))
        if index < len(titles):
            plan.add("work title", len(titles[index]))
        if index < len(summaries):
            plan.add("work summary", len(summaries[index]))
        if index < len(notes):
            plan.add("work notes", len(notes[index]))
            plan.add("work end notes", len(notes[index]))
            plan.page(f"/works/{works[-1].pk}")
    for name in kinds:
        plan.add(f"tag name ({name[:-1]})", len(tag_payloads))
    for number in range(1, len(works) // 20 + 2):
        plan.page(f"/works?page={number}")
    for tag_payload in tag_payloads[:: max(1, len(tag_payloads) // 8)]:
        plan.page(f"/tags/{quote(tag_to_param(tag_payload), safe='')}/works")
    # The posting form's tag autocomplete answers JSON: it must never be read as a page.
    for tag_payload in tag_payloads[:: max(1, len(tag_payloads) // 4)]:
        term = tag_payload.strip()[:20]
        if term:
            plan.page("/tags/autocomplete?" + urlencode({"kind": "freeform", "term": term}))

    lap("works")
    # Pseud names (a service that trusts its caller: what escaping must hold even if a form
    # slipped) and descriptions, all on the pseuds page.
    names = pack(payloads, 40)
    descriptions = pack(payloads, 500)
    taken = {pseud.name.casefold()}
    for index in range(max(len(names), len(descriptions))):
        name = " ".join(names[index]) if index < len(names) else f"Pseud {index}"
        if index < len(names) and not _pseud_name_ok(name):
            # The pseud form's rule (letters, numbers, spaces, underscores) refuses it.
            plan.add("pseud name", 0, len(names[index]))
            names[index] = []
            name = f"Pseud {index}"
        if name.casefold() in taken:  # names are unique ignoring case
            name = f"Pseud {index}"
            plan.add("pseud name", 0, len(names[index]))
            names[index] = []
        taken.add(name.casefold())
        description = " ".join(descriptions[index]) if index < len(descriptions) else ""
        add_pseud(user=author, name=name, description=description)
        if index < len(names):
            plan.add("pseud name", len(names[index]))
        if index < len(descriptions):
            plan.add("pseud description", len(descriptions[index]))
    plan.page(f"/users/{author.username}/pseuds")

    lap("pseuds")
    # Comments: plain and HTML, batches of payloads; guest names; inline comments.
    target = works[0]
    chapter = target.chapters.get()
    reader = make_user("xssreader")
    for fmt in ("plain", "html"):
        for batch in pack(payloads, 9_000, "\n\n"):
            _attempt(
                plan,
                f"comment text ({fmt})",
                batch,
                lambda text, fmt=fmt: comments.post_comment(
                    work=target, chapter=chapter, commenter=reader, text=text, text_format=fmt
                ),
                "\n\n",
            )
    guest_names = pack(payloads, 100)[: 20 if quick else 60]
    for batch in guest_names:
        comments.post_comment(
            work=target,
            chapter=chapter,
            commenter=None,
            text="A guest's comment.",
            guest_name=" ".join(batch),
            guest_email="guest@example.org",
        )
        plan.add("comment guest name", len(batch))
    threads = target.comments.count()
    plan.page(f"/works/{target.pk}/chapters/{chapter.pk}")
    for number in range(1, threads // 20 + 2):
        plan.page(f"/works/{target.pk}/chapters/{chapter.pk}/comments?page={number}")
    inline_work = works[1]
    inline_chapter = inline_work.chapters.get()
    for batch in pack(payloads, 9_000, "\n\n")[:4] if quick else pack(payloads, 9_000, "\n\n"):
        _attempt(
            plan,
            "inline comment text",
            batch,
            lambda text: comments.post_comment(
                work=inline_work,
                chapter=inline_chapter,
                commenter=reader,
                text=text,
                text_format="html",
                anchor=Anchor(paragraph_id=1),
            ),
            "\n\n",
        )
    plan.page(f"/works/{inline_work.pk}/chapters/{inline_chapter.pk}")

    lap("comments")
    # Bookmark notes (one work each batch) and bookmarker's tags (one bookmark, many tags).
    for index, batch in enumerate(pack(payloads, 9_000, "\n\n")):
        _attempt(
            plan,
            "bookmark notes",
            batch,
            lambda text, index=index: bookmark_work(user=reader, work=works[index + 2], notes=text),
            "\n\n",
        )
    for start in range(0, len(tag_payloads), 70):
        chunk = tag_payloads[start : start + 70]
        bookmark_work(user=make_user(), work=works[0], tag_names=chunk)
        plan.add("bookmarker tags", len(chunk))
    plan.page(f"/users/{reader.username}/bookmarks")
    plan.page(f"/works/{works[0].pk}/bookmarks")

    lap("bookmarks")
    # Series: titles (one a batch), summaries, notes.
    s_titles = pack(payloads, 255) if not quick else pack(payloads[:100], 255)
    s_summaries = pack(payloads, 1_200, "\n\n")
    s_notes = pack(payloads, 4_900, "\n\n")
    for index in range(max(len(s_titles), len(s_summaries))):
        series = create_series(
            creator=pseud,
            title=" ".join(s_titles[index]) if index < len(s_titles) else f"Series {index}",
            summary="\n\n".join(s_summaries[index]) if index < len(s_summaries) else "",
            notes="\n\n".join(s_notes[index]) if index < len(s_notes) else "",
        )
        # A series shows once a work in it can be read.
        add_work_to_series(series=series, work=works[index % len(works)], user=author)
        for name, batches in (("title", s_titles), ("summary", s_summaries), ("notes", s_notes)):
            if index < len(batches):
                plan.add(f"series {name}", len(batches[index]))
        if index < len(s_notes):
            plan.page(f"/series/{series.pk}")
    for number in range(1, len(s_titles) // 20 + 2):
        plan.page(f"/users/{author.username}/series?page={number}")

    lap("series")
    # Saved search names: at most SAVED_SEARCHES_MAX an account.
    for index, batch in enumerate(pack(payloads, 100)[:100]):
        _attempt(
            plan,
            "saved search name",
            batch,
            lambda name, index=index: save_search(user=reader, name=name, query=f"q=x{index}"),
            " ",
        )
    plan.page("/searches", login=True)

    # Admins' news posts: titles (plain, escaped) and bodies (rich text), on the news pages,
    # the home page's latest-news line and the news feed's readers.
    from ficshelf.accounts.models import User
    from ficshelf.moderation.services import file_report, hide_work
    from ficshelf.news.services import publish_news_post

    admin = make_user("xssadmin")
    User.objects.filter(pk=admin.pk).update(is_staff=True)
    admin.refresh_from_db()
    news_titles = pack([p for p in payloads if "\n" not in p], 200)[: 10 if quick else 40]
    news_bodies = pack(payloads, 9_000, "\n\n")
    for index in range(max(len(news_titles), len(news_bodies))):
        title = " ".join(news_titles[index]) if index < len(news_titles) else f"News {index}"
        body = "\n\n".join(news_bodies[index]) if index < len(news_bodies) else "News."
        try:
            post = publish_news_post(author=admin, title=title, body=body)
        except ValidationError:
            continue
        if index < len(news_titles):
            plan.add("news post title", len(news_titles[index]))
        if index < len(news_bodies):
            plan.add("news post body", len(news_bodies[index]))
        plan.page(f"/news/{post.pk}/")
    for number in range(1, len(news_bodies) // 10 + 2):
        plan.page(f"/news/?page={number}")
    plan.page("/")

    # Abuse reports' descriptions (plain text) and admins' reasons, on the admins' queue, a
    # report's page and the moderation log (staff pages).
    for batch in pack(payloads, 1_900, "\n\n")[: 5 if quick else None]:
        report = _attempt(
            plan,
            "abuse report description",
            batch,
            lambda text: file_report(
                kind="work",
                target=works[0],
                category="other",
                description=text,
                reporter=make_user(),
            ),
            "\n\n",
        )
        if report is not None:
            plan.page(f"/admin-queue/reports/{report.pk}", login="staff")
    for batch in pack(payloads, 1_900, "\n\n")[: 2 if quick else 10]:
        hidden = work(title="To hide")
        _attempt(
            plan,
            "moderation reason",
            batch,
            lambda text, hidden=hidden: hide_work(work=hidden, admin=admin, reason=text),
            "\n\n",
        )
    plan.page("/admin-queue/?status=all", login="staff")
    plan.page("/admin-queue/log", login="staff")

    # Imported files: a text file's "Title:" line and its text, an HTML file's body.
    from ficshelf.imports.services import ImportRefused, WorkChoices, import_work

    def imported(data: str, filename: str, name: str, count: int, title: str | None = None):
        # An HTML file's title comes from its <title> or first heading, which a payload can
        # be: such a file gets its title from the form, as the importer would give it.
        try:
            result = import_work(
                file_bytes=data.encode(),
                filename=filename,
                importer=author,
                defaults=WorkChoices(fandoms=["Law & Order: Special Victims Unit"]),
                overrides=WorkChoices(title=title) if title else None,
            )
        except ImportRefused:
            plan.add(name, count, refused=count)
            return
        plan.add(name, count)
        plan.page(f"/works/{result.work.pk}")

    one_line = [p for p in payloads if "\n" not in p and "\r" not in p]
    import_titles = pack(one_line, 200)[: 5 if quick else 30]
    bodies = pack(payloads, 12_000, "\n\n")
    for index, title in enumerate(import_titles):
        body = bodies[index] if index < len(bodies) else [f"Text {index}."]
        imported(f"Title: {' '.join(title)}\n\n" + "\n\n".join(body), "story.txt",
                 "imported file title (text file)", len(title))  # fmt: skip
        if index < len(bodies):
            plan.add("imported file text (text file)", len(body))
    for batch in pack(payloads, 40_000, "\n")[: 1 if quick else 3]:
        page = "<html><head><title>Imported</title></head><body>" + "\n".join(
            f"<p>{p}</p>" for p in batch
        )
        imported(
            page + "</body></html>",
            "story.html",
            "imported file text (HTML file)",
            len(batch),
            title="Imported",
        )

    # The search box echoes its query: 500 characters at most.
    for batch in pack(payloads, 500)[: 30 if not quick else 5]:
        plan.page("/works/search?" + urlencode({"q": " ".join(batch)}))
        plan.add("search box echo", len(batch))
    lap("searches")
    return plan


def _pseud_name_ok(name: str) -> bool:
    from ficshelf.accounts.models import pseud_name_validator

    try:
        pseud_name_validator(name)
    except ValidationError:
        return False
    return True


def _tag_ok(check, error, payload: str) -> bool:
    try:
        check("freeform", payload)
    except error:
        return False
    return True


# --- What the stored (sanitized) HTML may hold ------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "background"}
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
# The server numbers chapter paragraphs (userstuff/paragraphs.py); nh3 adds rel to links.
SERVER_ATTRIBUTES = {"data-p", "rel"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, set()) | SERVER_ATTRIBUTES
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                # As the URL standard reads it: C0 controls and spaces trimmed at the ends,
                # tabs and newlines dropped anywhere; any other control ends the scheme.
                url = re.sub(r"[\t\n\r]", "", html.unescape(value).strip(_C0_AND_SPACE))
                scheme = _SCHEME.match(url)
                if scheme and scheme.group(1).lower() not in URL_SCHEMES:
                    self.problems.append(f"<{tag} {name}={value[:40]}>")


def stored_html_problems(value: str) -> list[str]:
    """Anything in sanitized HTML outside the allowlist (empty when clean)."""
    collector = _Collector()
    collector.feed(value)
    collector.close()
    return collector.problems


def sanitized_fields():
    """(model, field name) of every SanitizedHTMLField in the project."""
    from django.apps import apps

    from ficshelf.userstuff.fields import SanitizedHTMLField

    return [
        (model, f.name)
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if isinstance(f, SanitizedHTMLField)
    ]


def check_stored_values() -> tuple[int, list[str]]:
    """Every stored sanitized value checked: (values checked, problems found)."""
    checked, problems = 0, []
    for model, name in sanitized_fields():
        for pk, value in model.objects.values_list("pk", name).iterator():
            checked += 1
            problems += [f"{model.__name__}.{name} #{pk}: {p}" for p in stored_html_problems(value)]
    return checked, problems
