"""The evaluation cycles page: every province's cycles a user may read, and, for the province's
reviewers and admins, setting a cycle's dates and granting a region an extension.

Kept apart from ``assessments.views`` (the assessment pages), which is at its size limit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments import cycles
from assessments.access import manageable_provinces, may_manage_cycles, may_open_cycles
from assessments.forms import CycleForm, ExtensionForm
from assessments.models import Cycle, CycleExtension
from egov_portal.errors import NotAllowed


def add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request):
    # An empty POST is a form sent empty (400), not a page to show.
    return request.POST if request.method == "POST" else None


def visible_cycle(request, pk):
    return get_object_or_404(Cycle.objects.visible_to(request.user).for_list(), pk=pk)


def require_manager(user, cycle):
    if not may_manage_cycles(user, cycle.province):
        raise NotAllowed(_("Siklus penilaian ditetapkan oleh penilai provinsi tersebut."))


@login_required
def cycle_list(request):
    if not may_open_cycles(request.user):
        raise NotAllowed(_("Siklus penilaian dibuka oleh pengguna yang memiliki peran."))
    extensions = CycleExtension.objects.visible_to(request.user).select_related(
        "region", "created_by"
    )
    rows = [
        (cycle, may_manage_cycles(request.user, cycle.province))
        for cycle in Cycle.objects.visible_to(request.user)
        .for_list()
        .prefetch_related(Prefetch("extensions", queryset=extensions))
    ]
    return render(
        request,
        "assessments/cycle_list.html",
        {
            "rows": rows,
            "today": cycles.local_today(),
            "may_create": manageable_provinces(request.user).exists(),
        },
    )


def cycle_form_page(request, form, cycle=None):
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycles.cycle_save(form.instance, user=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Siklus penilaian disimpan."))
            return redirect(cycle)
    status = 400 if form.is_bound else 200
    return render(
        request, "assessments/cycle_form.html", {"form": form, "cycle": cycle}, status=status
    )


@login_required
def cycle_create(request):
    if not manageable_provinces(request.user).exists():
        raise NotAllowed(_("Siklus penilaian ditetapkan oleh penilai provinsi."))
    form = CycleForm(posted(request), user=request.user)
    return cycle_form_page(request, form)


@login_required
def cycle_update(request, pk):
    cycle = visible_cycle(request, pk)
    require_manager(request.user, cycle)
    form = CycleForm(posted(request), instance=cycle, user=request.user)
    return cycle_form_page(request, form, cycle)


@login_required
def extension_create(request, pk):
    cycle = visible_cycle(request, pk)
    require_manager(request.user, cycle)
    form = ExtensionForm(posted(request), cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycles.extension_grant(cycle, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Perpanjangan tenggat disimpan."))
            return redirect(cycle)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "assessments/extension_form.html",
        {"form": form, "cycle": cycle},
        status=status,
    )
