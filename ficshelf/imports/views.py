"""Importing a work from a file. The view parses the form, calls the service, redirects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import services
from .forms import ImportForm


@login_required
def import_work(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_work(
                file_bytes=form.file_bytes,
                filename=form.cleaned_data["file"].name,
                importer=request.user,
                defaults=form.defaults,
                post=form.post,
                prepared=form.prepared,
            )
        except services.ImportRefused as refusal:
            form.add_refusal(refusal)
        else:
            work = result.work
            messages.success(
                request,
                f"“{work.title}” was imported and posted."
                if work.posted
                else f"“{work.title}” was imported as a draft. Only you can see it.",
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(work)
    status = 400 if request.method == "POST" else 200
    return render(request, "imports/import_form.html", {"form": form}, status=status)
