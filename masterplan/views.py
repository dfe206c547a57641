from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov_portal import charts
from egov_portal.errors import Conflict, NotAllowed, WrongState, messages_of, status_for
from egov_portal.versions import StaleVersion, conflict_shown
from masterplan import workflow
from masterplan.access import may_open_plans, require_plan_editor
from masterplan.filters import MasterPlanListFilter
from masterplan.forms import (
    MasterPlanForm,
    ProgrammeForm,
    RedraftForm,
    TargetForm,
    TargetRealisationForm,
)
from masterplan.models import MasterPlan, Programme, Target
from masterplan.progress import (
    current_year,
    plan_progress,
    plan_review,
    programme_progress,
    score_comparison,
)

PLANS_PER_PAGE = 50


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def visible_plan(request, pk, *, overview=False):
    plans = MasterPlan.objects.visible_to(request.user)
    plans = plans.for_overview() if overview else plans.select_related("region", "framework")
    return get_object_or_404(plans, pk=pk)


@login_required
def masterplan_list(request):
    if not may_open_plans(request.user):
        raise NotAllowed(
            _("Rencana induk dibuka oleh kepala Diskominfo, penilai dan administrator.")
        )
    filterset = MasterPlanListFilter(
        request.GET,
        queryset=MasterPlan.objects.visible_to(request.user).for_list(),
        request=request,
    )
    form = filterset.form
    plans = filterset.shown()
    paginator = Paginator(plans.prefetch_related("framework__dimensions"), PLANS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    year = current_year()
    regions = {}
    for plan in page:
        regions.setdefault(plan.region, []).append((plan, plan_progress(plan, year=year)))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "masterplan/masterplan_list.html",
        {
            "form": form,
            "regions": list(regions.items()),
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": page.has_other_pages(),
            "querystring": query.urlencode(),
        },
    )


def chart_rows(plan, comparison):
    """A chart of target against assessment score per dimension, with its description."""
    framework = plan.framework
    rows = []
    for scores in comparison:
        points = scores.points
        description = "; ".join(
            _("%(year)s: target %(target)s, skor %(actual)s%(note)s")
            % {
                "year": point.year,
                "target": number_or_dash(point.target),
                "actual": number_or_dash(point.actual),
                "note": _(" (sementara)") if point.provisional else "",
            }
            for point in points
        )
        chart = charts.line_chart(
            [str(point.year) for point in points],
            [
                charts.Series(
                    _("Target skor rencana"),
                    [point.target for point in points],
                    color=charts.MUTED,
                    dashed=True,
                ),
                charts.Series(
                    _("Skor penilaian"),
                    [point.actual for point in points],
                    hollow=[point.provisional for point in points],
                ),
            ],
            scale=(framework.scale_min, framework.scale_max),
            title=_("Target skor dan skor penilaian: %(name)s") % {"name": scores.dimension.label},
            desc=description,
        )
        rows.append((scores, chart))
    return rows


def number_or_dash(value):
    return number_format(value, 2) if value is not None else "—"


@login_required
def masterplan_detail(request, pk):
    plan = visible_plan(request, pk, overview=True)
    progress = plan_progress(plan)
    comparison = score_comparison(plan)
    return render(
        request,
        "masterplan/masterplan_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "charts": chart_rows(plan, comparison),
            "comparison": comparison,
            "assessed": any(scores.assessed for scores in comparison),
            "history": workflow.plan_history(plan),
            "may_edit": workflow.may_edit(request.user, plan),
            "may_redraft": workflow.may_redraft(request.user, plan),
            "may_plan": workflow.may_plan(request.user, plan),
            "moves": [
                (status, MasterPlan.Status(status).label)
                for status in workflow.allowed_statuses(request.user, plan)
            ],
        },
    )


@login_required
def masterplan_edit(request, pk):
    plan = visible_plan(request, pk)
    require_plan_editor(request.user, plan)
    form = MasterPlanForm(request.POST or None, instance=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.plan_update(plan, user=request.user, **form.cleaned_data)
            except (ValidationError, WrongState) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Rencana induk disimpan."))
                return redirect(plan)
        status = 400
    return render(
        request, "masterplan/masterplan_edit.html", {"plan": plan, "form": form}, status=status
    )


def add_errors(form, error: ValidationError | Conflict) -> int:
    """Show a refusal on the form, which keeps what the user typed; the response's status."""
    if isinstance(error, Conflict):
        form.add_error(None, error.message)
    elif hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
    return status_for(error)


@login_required
@require_POST
def masterplan_transition(request, pk):
    plan = visible_plan(request, pk)
    try:
        workflow.plan_set_status(plan, user=request.user, status=request.POST.get("status", ""))
    except (ValidationError, Conflict) as error:
        for message in messages_of(error):
            messages.error(request, message)
    else:
        plan.refresh_from_db()
        messages.success(
            request,
            _("Status rencana sekarang: %(status)s.") % {"status": plan.get_status_display()},
        )
    return redirect(plan)


def review_context(request, plan, *, form=None):
    review = plan_review(plan)
    framework = plan.framework
    may_redraft = workflow.may_redraft(request.user, plan)
    return {
        "plan": plan,
        "review": review,
        "progress": review.progress,
        "charts": chart_rows(plan, review.scores),
        "assessed": any(scores.assessed for scores in review.scores),
        "scale": (framework.scale_min, framework.scale_max),
        "may_redraft": may_redraft,
        "form": form or (RedraftForm(review=review) if may_redraft else None),
        "successors": list(plan.successors.all()),
    }


@login_required
def masterplan_review(request, pk):
    plan = visible_plan(request, pk, overview=True)
    return render(request, "masterplan/masterplan_review.html", review_context(request, plan))


@login_required
@require_POST
def masterplan_redraft(request, pk):
    plan = visible_plan(request, pk, overview=True)
    require_plan_editor(request.user, plan)
    form = RedraftForm(request.POST, review=plan_review(plan))
    status = 400
    if form.is_valid():
        try:
            successor = workflow.plan_start_redraft(plan, user=request.user, **form.cleaned_data)
        except (ValidationError, WrongState) as error:
            status = add_errors(form, error)
        else:
            messages.success(
                request,
                _("Draf %(title)s dibuat dengan %(count)s program yang dilanjutkan.")
                % {"title": successor.title, "count": successor.programmes.count()},
            )
            return redirect(successor)
    context = review_context(request, plan, form=form)
    return render(request, "masterplan/masterplan_review.html", context, status=status)


def visible_programme(request, plan_pk, pk):
    return get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("plan__region", "plan__framework", "dimension", "opd", "carried_from__plan")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year"))),
        plan_id=plan_pk,
        pk=pk,
    )


def target_row(request, target, *, year, may_record, form=None, **extra):
    editable = may_record and target.year <= year
    if form is None and editable:
        form = TargetRealisationForm(instance=target, prefix=f"target-{target.pk}")
    return {"target": target, "form": form, "editable": editable, **extra}


def programme_context(request, programme, *, bound=None):
    plan = programme.plan
    year = current_year()
    may_record = workflow.may_record(request.user, plan)
    progress = programme_progress(programme, year=year)
    rows = []
    for item in progress.targets:
        if bound and bound["target"].pk == item.target.pk:
            rows.append({**bound, "progress": item})
        else:
            rows.append(
                {
                    **target_row(request, item.target, year=year, may_record=may_record),
                    "progress": item,
                }
            )
    metrics = {(item.target.metric, item.target.unit) for item in progress.targets}
    return {
        "plan": plan,
        "programme": programme,
        "progress": progress,
        "shared_metric": metrics.pop() if len(metrics) == 1 else None,
        "rows": rows,
        "may_record": may_record,
        "may_plan": workflow.may_plan(request.user, programme.plan),
        "carried_into": list(programme.carried_into.select_related("plan")),
        "history": workflow.programme_history(programme),
    }


@login_required
def programme_detail(request, plan_pk, pk):
    programme = visible_programme(request, plan_pk, pk)
    return render(
        request, "masterplan/programme_detail.html", programme_context(request, programme)
    )


@login_required
@require_POST
def target_update(request, pk):
    target = get_object_or_404(
        Target.objects.visible_to(request.user).select_related("programme__plan__region"), pk=pk
    )
    programme = visible_programme(request, target.programme.plan_id, target.programme_id)
    plan = programme.plan
    form = TargetRealisationForm(request.POST, instance=target, prefix=f"target-{target.pk}")
    extra, status = {}, 200
    if not workflow.may_edit(request.user, plan):
        extra["error"] = _("Anda tidak berwenang mengubah rencana induk wilayah ini.")
        status = 403
    elif form.is_valid():
        try:
            workflow.target_record_realisation(
                programme,
                user=request.user,
                year=target.year,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except (ValidationError, WrongState) as error:
            add_errors(form, error)
            status = 400
        except StaleVersion as error:
            current = error.current
            extra["conflict"] = conflict_shown(
                error, form.changes(), by=current.updated_by, at=current.updated_at
            )
            # What the user typed stays in the row; saving it again is now a deliberate
            # overwrite of what they have seen.
            data = request.POST.copy()
            data[f"{form.prefix}-version"] = current.version
            form = TargetRealisationForm(data, instance=current, prefix=form.prefix)
            form.is_valid()
            status = 409
        else:
            extra["saved"] = True
            form = None
    else:
        status = 400
    # Figures are recomputed from what is saved now, whatever happened to this request.
    programme = visible_programme(request, plan.pk, programme.pk)
    saved = next(t for t in programme.targets.all() if t.pk == target.pk)
    may_record = workflow.may_record(request.user, plan)
    if status in {400, 409}:
        bound = target_row(request, saved, year=current_year(), may_record=True, form=form, **extra)
    else:
        bound = target_row(request, saved, year=current_year(), may_record=may_record, **extra)
    context = programme_context(request, programme, bound=bound)
    if is_htmx(request):
        row = next(r for r in context["rows"] if r["target"].pk == target.pk)
        return render(
            request,
            "masterplan/includes/_target_response.html",
            {**context, "row": row},
            status=status,
        )
    if status == 200:
        return redirect(f"{programme.get_absolute_url()}#target-{target.pk}")
    return render(request, "masterplan/programme_detail.html", context, status=status)


def planning_plan(request, pk):
    """A plan the user may see (else 404) and may add programmes to (else 403)."""
    plan = visible_plan(request, pk)
    require_plan_editor(request.user, plan)
    return plan


@login_required
def programme_create(request, pk):
    plan = planning_plan(request, pk)
    form = ProgrammeForm(request.POST or None, plan=plan)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                programme = workflow.programme_create(plan, user=request.user, **form.cleaned_data)
            except (ValidationError, WrongState) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Program ditambahkan. Tambahkan target tahunannya."))
                return redirect(programme)
        status = 400
    return render(
        request, "masterplan/programme_form.html", {"plan": plan, "form": form}, status=status
    )


@login_required
def target_create(request, plan_pk, pk):
    plan = planning_plan(request, plan_pk)
    programme = get_object_or_404(plan.programmes.select_related("plan"), pk=pk)
    form = TargetForm(request.POST or None, programme=programme)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                workflow.target_create(programme, user=request.user, **form.cleaned_data)
            except (ValidationError, WrongState) as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Target tahunan ditambahkan."))
                return redirect(programme)
        status = 400
    context = {"plan": plan, "programme": programme, "form": form}
    return render(request, "masterplan/target_form.html", context, status=status)
