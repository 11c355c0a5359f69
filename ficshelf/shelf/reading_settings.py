"""How a reader likes pages to look: text size, line width and spacing, typeface, theme, and
whether to hide the styling creators put in their chapters.

The choices become classes on the page's <html> element (`Appearance.classes`), rendered by the
server, so the page is drawn in the reader's style from its first paint, with or without
JavaScript (static/css/reading-settings.css styles the classes). An account keeps its choices
in `ShelfSettings`; a guest in the `ficshelf_reading` cookie, which holds those same class names
(plain short words, checked against the choices: anything else is ignored). Only choices that
differ from the defaults make a class, so a guest with no cookie gets the page every guest
shares from the cache, and a guest with one never does (works.extensions.has_personal_cookie).
"""

from dataclasses import asdict, dataclass, fields, replace

from django import forms

from ficshelf.works.extensions import ReadingAdditions, ReadingSection

from .models import LineSpacing, LineWidth, ShelfSettings, TextSize, Theme, Typeface

COOKIE = "ficshelf_reading"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # a year
HIDE_CREATOR_STYLING = "hide-creator-styling"

# field -> (class prefix, choices): the class is `<prefix>-<value>`, e.g. theme-dark, text-l.
CHOICES = {
    "theme": ("theme", Theme),
    "text_size": ("text", TextSize),
    "line_width": ("width", LineWidth),
    "line_spacing": ("spacing", LineSpacing),
    "typeface": ("font", Typeface),
}


@dataclass(frozen=True)
class Appearance:
    """One reader's choices; the defaults are ShelfSettings' defaults."""

    theme: str = Theme.LIGHT.value
    text_size: str = TextSize.MEDIUM.value
    line_width: str = LineWidth.MEDIUM.value
    line_spacing: str = LineSpacing.NORMAL.value
    typeface: str = Typeface.SERIF.value
    hide_creator_styling: bool = False

    def class_names(self) -> list[str]:
        """The classes for <html>: one for each choice that is not the default."""
        names = [
            f"{prefix}-{getattr(self, name)}"
            for name, (prefix, _) in CHOICES.items()
            if getattr(self, name) != getattr(DEFAULT, name)
        ]
        if self.hide_creator_styling:
            names.append(HIDE_CREATOR_STYLING)
        return names

    def classes(self) -> str:
        return " ".join(self.class_names())

    def as_dict(self) -> dict:
        return asdict(self)


DEFAULT = Appearance()
FIELDS = tuple(f.name for f in fields(Appearance))

# Every class a cookie may hold, and the field and value it stands for.
_CLASSES = {
    f"{prefix}-{value}": (name, value)
    for name, (prefix, choices) in CHOICES.items()
    for value in choices.values
}
_CLASSES[HIDE_CREATOR_STYLING] = ("hide_creator_styling", True)


# --- A guest's cookie -------------------------------------------------------------------------


def from_cookie(value: str | None) -> Appearance:
    """The choices in a cookie's value: known class names, separated by dots. Unknown or
    repeated ones are ignored (the first of a kind counts); nothing valid is the defaults."""
    chosen: dict = {}
    for token in (value or "")[:200].split("."):
        if token in _CLASSES:
            name, choice = _CLASSES[token]
            chosen.setdefault(name, choice)
    return replace(DEFAULT, **chosen)


def cookie_value(appearance: Appearance) -> str:
    """What the cookie holds; empty for the defaults (then it is deleted)."""
    return ".".join(appearance.class_names())


# --- An account's settings --------------------------------------------------------------------


def for_account(user) -> Appearance:
    """The account's choices, in one query (the defaults if it never saved any)."""
    row = ShelfSettings.objects.filter(user=user).values(*FIELDS).first()
    return Appearance(**row) if row else DEFAULT


def for_request(request) -> Appearance:
    """The viewer's choices: their account's, or a guest's cookie. Read once per request, in
    the same query as whether their history is paused (a reading page asks both)."""
    cached = getattr(request, "_ficshelf_appearance", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    paused = False
    if user is not None and user.is_authenticated:
        row = ShelfSettings.objects.filter(user=user).values(*FIELDS, "history_paused").first()
        if row:
            paused = row.pop("history_paused")
        appearance = Appearance(**row) if row else DEFAULT
    else:
        appearance = from_cookie(request.COOKIES.get(COOKIE))
    remember(request, appearance, paused=paused)
    return appearance


def remember(request, appearance: Appearance, *, paused: bool) -> None:
    """Keep the viewer's choices on the request, for `for_request` and `history_paused_for`
    (shelf.blocklist reads them in its own query for a logged-in reader)."""
    request._ficshelf_appearance = appearance
    request._ficshelf_history_paused = paused


def history_paused_for(request) -> bool:
    """Whether the logged-in viewer paused their history, from `for_request`'s one read."""
    for_request(request)
    return request._ficshelf_history_paused


def save_reading_settings(*, user, appearance: Appearance) -> ShelfSettings:
    """Keep the account's choices; its other shelf settings (history, hiding) are left as
    they are."""
    settings, _ = ShelfSettings.objects.update_or_create(user=user, defaults=appearance.as_dict())
    return settings


# --- The form ---------------------------------------------------------------------------------


class ReadingSettingsForm(forms.Form):
    theme = forms.ChoiceField(label="Colours", choices=Theme.choices, widget=forms.RadioSelect)
    text_size = forms.ChoiceField(
        label="Text size", choices=TextSize.choices, widget=forms.RadioSelect
    )
    line_width = forms.ChoiceField(
        label="Line width", choices=LineWidth.choices, widget=forms.RadioSelect
    )
    line_spacing = forms.ChoiceField(
        label="Line spacing", choices=LineSpacing.choices, widget=forms.RadioSelect
    )
    typeface = forms.ChoiceField(
        label="Typeface", choices=Typeface.choices, widget=forms.RadioSelect
    )
    hide_creator_styling = forms.BooleanField(
        label="Hide creators' styling",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "hide-creator-styling-help"}),
        help_text="Show every chapter in your own style: no centred or right-aligned text, "
        "no bigger, smaller or typewriter text, headings at a modest size.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)

    def appearance(self) -> Appearance:
        return Appearance(**{name: self.cleaned_data[name] for name in FIELDS})


# --- A link on every reading page --------------------------------------------------------------


def reading_page_link(request, work, chapters, *, full):
    """The link to this page above every work; the same for every viewer of a page, so it
    keeps guests' cached copies shareable."""
    return ReadingAdditions(before_work=[ReadingSection("shelf/reading_settings_link.html")])
