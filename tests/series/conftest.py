import pytest

from ficshelf.series.services import add_work_to_series, create_series
from tests.factories import make_work


@pytest.fixture
def trilogy(author):
    """A series of three posted works by `author`, in order."""
    series = create_series(creator=author, title="The Trilogy", summary="Three of them.")
    works = [make_work(author, title=f"Book {n}") for n in (1, 2, 3)]
    for work in works:
        add_work_to_series(series=series, work=work, user=author)
    return series, works
