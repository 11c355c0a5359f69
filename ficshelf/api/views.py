"""The owner's page of API tokens: make one (shown once), see when each was last used, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from .models import ApiToken
from .tokens import NAME_MAX, create_token, revoke_token


def _own_account(request, username: str):
    # Anyone else's tokens page does not exist for them.
    if request.user.username.lower() != username.lower():
        raise Http404("No such page.")
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def tokens(request, username: str):
    owner = _own_account(request, username)
    new_token, error, name = None, None, ""
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            _, new_token = create_token(user=owner, name=name)
            name = ""
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
            status = 400
    context = {
        "owner": owner,
        "tokens": ApiToken.objects.filter(user=owner),
        "new_token": new_token,
        "error": error,
        "name": name,
        "name_max": NAME_MAX,
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request, username: str, token_id: int):
    owner = _own_account(request, username)
    token = get_object_or_404(ApiToken, pk=token_id, user=owner)
    revoke_token(token=token, user=owner)
    messages.success(request, f"The token “{token.name}” was revoked: it no longer works.")
    return redirect("api_tokens", username=owner.username)
