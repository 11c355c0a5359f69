"""Co-creators, as on AO3: an invited creator accepts before a work shows as theirs, and any
creator can leave a work (the last one leaves it to the orphan account)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..models import CreatorInvitation, Work


def _own_invitations(request, username: str):
    if request.user.username.lower() != username.lower():
        raise PermissionDenied("Only the invited creator can see their invitations.")
    return CreatorInvitation.objects.filter(pseud__user=request.user).select_related(
        "work", "pseud", "invited_by"
    )


@login_required
def invitations(request, username: str):
    """AO3's "Co-Creator Requests": works others want to credit this account on."""
    return render(
        request,
        "works/creator_invitations.html",
        {"invitations": _own_invitations(request, username)},
    )


@login_required
@require_POST
def answer_invitation(request, username: str, invitation_id: int):
    invitation = get_object_or_404(_own_invitations(request, username), pk=invitation_id)
    if "accept" in request.POST:
        services.accept_creator_invitation(invitation=invitation, user=request.user)
        messages.success(request, f"You are now a creator of “{invitation.work.title}”.")
    else:
        services.decline_creator_invitation(invitation=invitation, user=request.user)
        messages.info(request, f"You declined to be credited on “{invitation.work.title}”.")
    return redirect("creators:invitations", username=request.user.username)


@login_required
def leave_work(request, work_id: int):
    """Remove yourself from a work's creators (confirm first)."""
    work = get_object_or_404(Work.objects.editable_by(request.user).with_listing_data(), pk=work_id)
    last = all(pseud.user_id == request.user.pk for pseud in work.creator_pseuds())
    if request.method == "POST":
        services.leave_work(work=work, user=request.user)
        messages.success(
            request,
            f"You are no longer a creator of “{work.title}”."
            + (" It stays up, credited to the orphan account." if last else ""),
        )
        return redirect("creators:works", username=request.user.username)
    return render(request, "works/confirm_leave.html", {"work": work, "last_creator": last})
