"""News pages: the list and each post for everyone, the forms for admins. Views parse a form,
call a service, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import services
from .forms import NewsPostForm
from .models import NewsPost, is_news_editor

PER_PAGE = 10


def _editor(request) -> None:
    if not is_news_editor(request.user):
        raise PermissionDenied("Only the archive's admins can write news posts.")


def _visible_post(request, news_id: int) -> NewsPost:
    # A draft or scheduled post is not found for anyone but an admin: 404, not 403.
    return get_object_or_404(
        NewsPost.objects.visible_to(request.user).select_related("author"), pk=news_id
    )


def news_index(request):
    """Published posts, newest first, ten a page; admins see drafts and scheduled posts at the
    top."""
    posts = NewsPost.objects.visible_to(request.user).newest_first().select_related("author")
    page = Paginator(posts, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/index.html",
        {"page": page, "is_editor": is_news_editor(request.user)},
    )


def news_post(request, news_id: int):
    post = _visible_post(request, news_id)
    return render(
        request, "news/post.html", {"post": post, "is_editor": is_news_editor(request.user)}
    )


@login_required
@never_cache
def new_news_post(request):
    _editor(request)
    form = NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.publish_news_post(author=request.user, **form.service_arguments())
        messages.success(request, _saved_message(post))
        return redirect(post)
    return render(request, "news/form.html", {"form": form, "post": None})


@login_required
@never_cache
def edit_news_post(request, news_id: int):
    _editor(request)
    post = _visible_post(request, news_id)
    form = NewsPostForm.for_post(post, request.POST or None)
    if request.method == "POST" and form.is_valid():
        post = services.edit_news_post(post=post, editor=request.user, **form.service_arguments())
        messages.success(request, _saved_message(post))
        return redirect(post)
    return render(request, "news/form.html", {"form": form, "post": post})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_news_post(request, news_id: int):
    """GET asks; POST deletes."""
    _editor(request)
    post = _visible_post(request, news_id)
    if request.method == "POST":
        services.delete_news_post(post=post, editor=request.user)
        messages.success(request, f"The news post “{post.title}” was deleted.")
        return redirect("news:index")
    return render(request, "news/confirm_delete.html", {"post": post})


def _saved_message(post: NewsPost) -> str:
    if post.is_draft:
        return "The news post was saved as a draft."
    if post.is_scheduled:
        return "The news post was scheduled."
    return "The news post was published."
