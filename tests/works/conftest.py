import pytest


@pytest.fixture
def work_form(author):
    """POST data for /works/new as `author` would fill it in; keyword arguments override."""

    def build(**overrides) -> dict:
        data = {
            "pseuds": [author.default_pseud.pk],
            "co_creators": "",
            "title": "Quiet Hours",
            "rating": "teen",
            "warnings": ["No Archive Warnings Apply"],
            "categories": ["Gen"],
            "fandoms": "Law & Order: Special Victims Unit",
            "relationships": "",
            "characters": "",
            "freeforms": "",
            "language": "en",
            "summary": "",
            "notes": "",
            "end_notes": "",
            "expected_chapters": "",
            "chapter_title": "",
            "text_format": "html",
            "text": "<p>It was a quiet night at the precinct.</p>",
            "post": "Post",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
