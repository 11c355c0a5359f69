from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from ficshelf.works.models import Work

from .models import Tag, tag_from_param


def tag_works(request, tag: str):
    """Works tagged with this name, in any tag kind (AO3's /tags/<name>/works)."""
    name = tag_from_param(tag)
    tags = list(Tag.objects.filter(name__iexact=name))
    if not tags:
        raise Http404("No such tag.")
    works = (
        Work.objects.visible_to(request.user)
        .posted()
        .filter(taggings__tag__in=tags)
        .distinct()
        .newest_updated_first()
        .with_listing_data()
    )
    page = Paginator(works, 20).get_page(request.GET.get("page"))
    return render(request, "tags/tag_works.html", {"tag": tags[0], "page": page})
