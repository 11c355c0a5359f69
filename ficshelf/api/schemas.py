"""What the API answers and accepts, as pydantic schemas (they make the OpenAPI document)."""

from datetime import datetime

from ninja import Field, Schema


class Error(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class CreatorOut(Schema):
    pseud: str
    user: str
    url: str


class SeriesPlaceOut(Schema):
    id: int
    title: str
    part: int
    api_url: str


class WorkOut(Schema):
    id: int
    title: str
    url: str
    api_url: str
    creators: list[CreatorOut]
    rating: str
    warnings: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    summary: str = Field(description="Sanitized HTML.")
    notes: str = Field(description="Sanitized HTML.")
    end_notes: str = Field(description="Sanitized HTML.")
    language: str
    word_count: int
    chapters: str = Field(description='Posted/expected chapters, e.g. "3/10" or "1/?".')
    expected_chapters: int | None
    complete: bool
    restricted: bool = Field(description="Only logged-in readers (or a token) see it.")
    draft: bool
    published_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    kudos: int
    comments: int
    bookmarks: int
    hits: int
    series: list[SeriesPlaceOut]
    revision: int | None = Field(
        description="For the work's creators only: send it back with PATCH to detect conflicts."
    )


class WorkPage(Schema):
    results: list[WorkOut]
    next: str | None = Field(description="The URL of the next page; null on the last.")
    next_cursor: str | None


class ChapterOut(Schema):
    id: int
    work_id: int
    position: int
    title: str
    url: str
    api_url: str
    word_count: int
    draft: bool
    published_at: datetime | None
    revision: int = Field(description="Send it back to PATCH the chapter (edit conflicts).")
    summary: str = Field(description="Sanitized HTML.")
    notes: str = Field(description="Sanitized HTML.")
    end_notes: str = Field(description="Sanitized HTML.")


class ChapterTextOut(ChapterOut):
    text: str = Field(description="The chapter text as stored: sanitized HTML.")


class TagRef(Schema):
    name: str
    kind: str
    api_url: str


class TagOut(Schema):
    name: str
    kind: str
    canonical: bool
    synonym_of: TagRef | None
    synonyms: list[TagRef]
    parents: list[TagRef]
    children: list[TagRef]
    url: str
    works_api_url: str


class PseudOut(Schema):
    name: str
    description: str
    default: bool
    url: str


class UserOut(Schema):
    username: str
    url: str
    joined: datetime
    pseuds: list[PseudOut]
    works_api_url: str


class SeriesOut(Schema):
    id: int
    title: str
    url: str
    api_url: str
    creators: list[CreatorOut]
    summary: str
    notes: str
    complete: bool
    word_count: int
    works: list[WorkOut]


class WorkFilters(Schema):
    """The search page's filters (its form checks them, so they mean exactly the same)."""

    q: str | None = Field(None, description='Any text; "quote" a phrase.')
    include: str | None = Field(None, description="Tags to include, separated by commas.")
    exclude: str | None = Field(None, description="Tags to exclude, separated by commas.")
    rating: str | None = Field(None, description="not_rated, general, teen, mature, explicit.")
    crossover: str | None = Field(None, description='"exclude" or "only".')
    status: str | None = Field(None, description='"complete" or "in_progress".')
    single_chapter: str | None = Field(None, description='"true" for single-chapter works.')
    language: str | None = Field(None, description="A language code, e.g. en.")
    words_from: str | None = None
    words_to: str | None = None
    updated_from: str | None = Field(None, description="A date, YYYY-MM-DD.")
    updated_to: str | None = None
    posted_from: str | None = None
    posted_to: str | None = None
    sort: str | None = Field(
        None, description="updated (default), posted, title, creator, words, kudos, ..."
    )


# --- Writes ---------------------------------------------------------------------------------


class ChapterIn(Schema):
    text: str
    text_format: str = Field("html", description="html, plain or markdown.")
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


class NewChapterIn(ChapterIn):
    post: bool = Field(True, description="False keeps the chapter a draft.")


class ChapterPatchIn(Schema):
    """Only the fields sent change; `revision` is the one the chapter had when you read it."""

    revision: int
    text: str | None = None
    text_format: str | None = Field(None, description="html, plain or markdown.")
    title: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    post: bool = Field(False, description="True posts a draft chapter of a posted work.")


class MetadataFields(Schema):
    rating: str = "not_rated"
    warnings: list[str] = []
    categories: list[str] = []
    relationships: list[str] = []
    characters: list[str] = []
    freeforms: list[str] = []
    language: str = "en"
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    expected_chapters: int | None = None
    is_complete: bool = False
    restricted: bool = False
    comment_permission: str = "everyone"
    moderated_comments: bool = False
    critique_welcome: bool = False
    inline_comments: bool = True


class NewWorkIn(MetadataFields):
    title: str
    fandoms: list[str]
    chapter: ChapterIn
    pseuds: list[str] = Field(
        [], description="Names of your own pseuds to credit; your default pseud if empty."
    )
    post: bool = Field(True, description="False keeps the work a draft.")


class WorkPatchIn(Schema):
    """Only the fields sent change; `revision` is the one the work had when you read it."""

    revision: int
    title: str | None = None
    fandoms: list[str] | None = None
    rating: str | None = None
    warnings: list[str] | None = None
    categories: list[str] | None = None
    relationships: list[str] | None = None
    characters: list[str] | None = None
    freeforms: list[str] | None = None
    language: str | None = None
    summary: str | None = None
    notes: str | None = None
    end_notes: str | None = None
    expected_chapters: int | None = None
    is_complete: bool | None = None
    restricted: bool | None = None
    comment_permission: str | None = None
    moderated_comments: bool | None = None
    critique_welcome: bool | None = None
    inline_comments: bool | None = None
    post: bool = Field(False, description="True posts a draft work.")
