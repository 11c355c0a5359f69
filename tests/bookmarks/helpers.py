"""Shared builders for the bookmark tests."""

from ficshelf.series.models import Series, SeriesCreatorship, SeriesPart


def make_series(author, works, *, title="A Series"):
    """A series by `author` holding `works` in order (the series app's services are built in
    parallel: the rows are made directly)."""
    series = Series.objects.create(title=title)
    SeriesCreatorship.objects.create(series=series, pseud=author.default_pseud)
    for position, work in enumerate(works, start=1):
        SeriesPart.objects.create(series=series, work=work, position=position)
    return series
