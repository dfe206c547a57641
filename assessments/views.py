from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments import carry, clarifications, verification, workflow
from assessments.access import creatable_regions, may_move, may_open_assessments
from assessments.evidence import attachment_disposition, download_name, download_type
from assessments.filters import AssessmentListFilter
from assessments.forms import (
    AnswerForm,
    AssessmentCreateForm,
    CommentForm,
    EvidenceForm,
    TransitionForm,
)
from assessments.models import (
    Answer,
    Assessment,
    Dimension,
    Evidence,
    Indicator,
    Level,
    RatingBand,
)
from assessments.scoring import (
    assessment_result,
    bands_by_framework,
    derived_result,
    framework_aspects,
    framework_indicator,
    framework_spec,
    results_for,
)
from egov_portal.errors import Conflict, NotAllowed, WrongState, messages_of, status_for


@require_GET
def band_styles(request):
    """The colour of every framework's rating bands, as the classes ``Band.css_class`` names: a
    stylesheet, since the Content-Security-Policy refuses style attributes. Open to everyone
    (the login page loads it too); browsers keep it a few minutes."""
    bands = RatingBand.objects.select_related("framework").order_by("framework__code", "min_score")
    rules = [
        f".{band.css_class} {{ background-color: {band.fill} !important; }}"
        for framework_bands in bands_by_framework(bands)
        for band in framework_bands
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response


def visible_assessment(request, pk):
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "region", "region__parent", "framework"
        ),
        pk=pk,
    )


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


@login_required
def assessment_list(request):
    if not may_open_assessments(request.user):
        raise NotAllowed(_("Penilaian dibuka oleh kepala Diskominfo, penilai dan administrator."))
    filterset = AssessmentListFilter(
        request.GET,
        queryset=Assessment.objects.visible_to(request.user).for_list(),
        request=request,
    )
    form = filterset.form
    assessments = list(filterset.shown()[:500])
    results = results_for(assessments)
    rows = [(assessment, results[assessment.pk]) for assessment in assessments]
    may_create = creatable_regions(request.user).exists()
    return render(
        request,
        "assessments/assessment_list.html",
        {"form": form, "rows": rows, "may_create": may_create},
    )


@login_required
def assessment_create(request):
    # A link may name the region and year to start (the home page's inbox does); they are
    # only a suggestion, checked like anything typed when the form is sent.
    suggested = {name: request.GET[name] for name in ("region", "year") if name in request.GET}
    form = AssessmentCreateForm(request.POST or None, user=request.user, initial=suggested)
    if not form.fields["region"].queryset.exists():
        raise PermissionDenied(_("Peran Anda tidak dapat membuat penilaian."))
    if request.method == "POST" and form.is_valid():
        try:
            assessment = workflow.assessment_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Penilaian dibuat."))
            return redirect(assessment)
    return render(request, "assessments/assessment_create.html", {"form": form})


@login_required
def assessment_detail(request, pk):
    assessment = visible_assessment(request, pk)
    dimensions = list(assessment.framework.dimensions.prefetch_related("aspects"))
    spec = framework_spec(assessment.framework, dimensions=dimensions)
    result = assessment_result(assessment, spec=spec)
    transitions = assessment.transitions.select_related("user")
    progress = verification.progress(assessment, spec=spec)
    actions = [
        (to, workflow.transition_label(assessment.status, to))
        for to in workflow.allowed_transitions(request.user, assessment)
    ]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "term": assessment.framework.dimension_word,
            "result": result,
            "dimension_rows": [
                (
                    d,
                    result.dimension(d.code),
                    progress.dimension(d.code),
                    aspect_rows(d.aspects.all(), result.dimension(d.code)),
                )
                for d in dimensions
            ],
            "progress": progress,
            "derived": derived_result(assessment),
            "show_verification": shows_verification(assessment, progress),
            "transitions": transitions,
            "actions": actions,
            "differing": progress.total.differing,
            "awaiting": len(carry.awaiting_codes(assessment)),
            "open_counts": clarifications.open_counts(assessment),
            "may_edit": workflow.may_edit(request.user, assessment),
            "transition_form": TransitionForm(),
        },
    )


@login_required
def assessment_history(request, pk):
    """Every change of an assessment, its answers and their evidence, newest first: the newest
    hundred for the folded panel of its page (htmx, when opened), all of them as a page."""
    assessment = visible_assessment(request, pk)
    context = {"assessment": assessment, "history": workflow.assessment_history(assessment)}
    if is_htmx(request):
        return render(request, "assessments/includes/_assessment_history.html", context)
    return render(request, "assessments/assessment_history.html", context)


@login_required
@require_POST
def assessment_transition(request, pk):
    assessment = visible_assessment(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("note") or [_("Langkah yang diminta tidak dikenal.")]:
            messages.error(request, message)
        return redirect(assessment)
    to_final = form.cleaned_data["to"] == Assessment.Status.FINAL
    if to_final and not form.cleaned_data["confirmed"]:
        # Making an assessment final locks it: it always passes the confirmation page.
        return redirect("assessments:assessment_finalise", pk=assessment.pk)
    try:
        workflow.assessment_transition(
            assessment,
            user=request.user,
            to=form.cleaned_data["to"],
            note=form.cleaned_data["note"],
        )
    except (ValidationError, Conflict) as error:
        for message in messages_of(error):
            messages.error(request, message)
        if to_final and isinstance(error, ValidationError):
            # Back to the confirmation, which lists what is left.
            return redirect("assessments:assessment_finalise", pk=assessment.pk)
    else:
        assessment.refresh_from_db()
        messages.success(
            request,
            _("Status penilaian sekarang: %(status)s.")
            % {"status": assessment.get_status_display()},
        )
    return redirect(assessment)


@login_required
def assessment_finalise(request, pk):
    """The confirmation before making an assessment final, with what is left to do."""
    assessment = visible_assessment(request, pk)
    status = Assessment.Status
    if not may_move(request.user, assessment, (status.IN_REVIEW, status.FINAL)):
        raise NotAllowed(_("Peran Anda tidak dapat melakukan langkah ini."))
    if assessment.status != status.IN_REVIEW:
        raise WrongState(
            _("Penilaian berstatus %(status)s tidak dapat ditetapkan final.")
            % {"status": assessment.get_status_display()}
        )
    check = verification.final_check(assessment)
    return render(
        request,
        "assessments/assessment_finalise.html",
        {
            "assessment": assessment,
            "check": check,
            "progress": verification.progress(assessment),
            "form": TransitionForm(initial={"to": Assessment.Status.FINAL, "confirmed": True}),
        },
    )


def shows_verification(assessment, progress) -> bool:
    """Whether the verification figures mean anything yet: once the review has started, or
    once a reviewer has set a verified level (a province-led visit in draft)."""
    return (
        assessment.status in {Assessment.Status.IN_REVIEW, Assessment.Status.FINAL}
        or progress.total.verified_levels > 0
    )


def indicator_cards(assessment, dimension, user, *, bound=None, show=""):
    """Everything the dimension page shows per indicator; ``bound`` replaces one card's form;
    ``show`` keeps only the indicators of one of ``verification.FILTERS``."""
    indicators = (
        Indicator.objects.filter(dimension=dimension)
        .select_related("aspect")
        .prefetch_related(Prefetch("levels", queryset=Level.objects.order_by("level")))
    )
    if show:
        indicators = verification.filter_indicators(indicators, assessment, show)
    answers = {
        answer.indicator_id: answer
        for answer in Answer.objects.filter(assessment=assessment, indicator__dimension=dimension)
        .select_related("updated_by", "carried_from__assessment")
        .prefetch_related("evidence")
    }
    may_self = workflow.may_set_self(user, assessment)
    may_verify = workflow.may_set_verified(user, assessment)
    cards = []
    for indicator in indicators:
        answer = answers.get(indicator.pk) or Answer(
            assessment=assessment, indicator=indicator, version=0
        )
        if bound and bound["indicator"].pk == indicator.pk:
            cards.append(bound)
            continue
        form = answer_form(assessment, indicator, answer, may_self, may_verify)
        cards.append(card_context(assessment, indicator, answer, form, may_self, may_verify))
    return cards


def answer_form(assessment, indicator, answer, may_self, may_verify, *, data=None):
    """The form of one indicator's card, with the fields the user may change enabled."""
    return AnswerForm(
        data,
        instance=answer,
        prefix=indicator.code,
        scale=list(assessment.framework.levels),
        may_self=may_self,
        may_verify=may_verify,
    )


def card_context(assessment, indicator, answer, form, may_self, may_verify, **extra):
    return {
        "assessment": assessment,
        "indicator": indicator,
        "answer": answer,
        "form": form,
        "evidence": list(answer.evidence.all()) if answer.pk else [],
        "evidence_form": extra.pop("evidence_form", None)
        or EvidenceForm(prefix=f"ev-{indicator.code}"),
        "may_edit": may_self or may_verify,
        # A click on a level's description picks the level the user may set: the verified
        # level for a reviewer, the self level for the head.
        "level_input": "verified" if may_verify else "self" if may_self else "",
        **extra,
    }


def aspect_rows(aspects, dimension_result):
    """Each aspect of a dimension with its scores, in the framework's order."""
    return [(aspect, dimension_result.aspect(aspect.code)) for aspect in aspects]


def dimension_summary(assessment, dimension, *, dimensions=None):
    """What the dimension page shows beside the cards, and re-draws with each saved card:
    the scores, the verification figures and the carried levels still waiting. ``dimensions``:
    the framework's dimensions with their aspects, when the caller has read them already."""
    if dimensions is None:
        aspects = framework_aspects(assessment.framework, dimension)
    else:
        aspects = next(d for d in dimensions if d.pk == dimension.pk).aspects.all()
    spec = framework_spec(assessment.framework, dimensions=dimensions)
    result = assessment_result(assessment, spec=spec)
    progress = verification.progress(assessment, spec=spec)
    return {
        "assessment": assessment,
        "term": assessment.framework.dimension_word,
        "dimension": dimension,
        "result": result,
        "dimension_result": result.dimension(dimension.code),
        "aspect_rows": aspect_rows(aspects, result.dimension(dimension.code)),
        "counts": progress.dimension(dimension.code),
        "show_verification": shows_verification(assessment, progress),
        "awaiting": progress.awaiting.get(dimension.code, 0),
    }


@login_required
def assessment_dimension(request, pk, dimension):
    assessment = visible_assessment(request, pk)
    dimension = get_object_or_404(Dimension, framework=assessment.framework, code=dimension)
    return render_dimension(request, assessment, dimension)


def render_dimension(request, assessment, dimension, *, bound=None, status=200):
    dimensions = list(assessment.framework.dimensions.prefetch_related("aspects"))
    show = request.GET.get("show", "")
    filter_error = ""
    if show and show not in verification.FILTERS:
        filter_error = _("Filter “%(show)s” tidak dikenal; semua indikator ditampilkan.") % {
            "show": show[:40]
        }
        show, status = "", 400
    context = {
        "assessment": assessment,
        "dimension": dimension,
        "dimensions": dimensions,
        "cards": with_clarifications(
            indicator_cards(assessment, dimension, request.user, bound=bound, show=show),
            assessment,
            request.user,
        ),
        "open_counts": clarifications.open_counts(assessment),
        "filters": verification.FILTERS,
        "show": show,
        "filter_error": filter_error,
        "may_confirm": workflow.may_set_self(request.user, assessment),
        **dimension_summary(assessment, dimension, dimensions=dimensions),
    }
    return render(request, "assessments/assessment_dimension.html", context, status=status)


@login_required
@require_POST
def dimension_confirm(request, pk, dimension):
    """Confirm, unchanged, the levels of one dimension carried from an earlier year."""
    assessment = visible_assessment(request, pk)
    dimension = get_object_or_404(Dimension, framework=assessment.framework, code=dimension)
    count = workflow.answers_confirm(assessment, dimension, user=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)s level dari tahun sebelumnya dikonfirmasi.",
            "%(count)s level dari tahun sebelumnya dikonfirmasi.",
            count,
        )
        % {"count": count},
    )
    return redirect("assessments:assessment_dimension", pk=assessment.pk, dimension=dimension.code)


def answer_target(request, pk, indicator):
    assessment = visible_assessment(request, pk)
    indicator = framework_indicator(assessment.framework, indicator)
    if indicator is None:
        raise Http404
    prefetch_related_objects([indicator], "levels")
    answer = Answer.objects.filter(assessment=assessment, indicator=indicator).first() or Answer(
        assessment=assessment, indicator=indicator, version=0
    )
    return assessment, indicator, answer


def respond_card(request, assessment, indicator, card, *, status=200):
    """The re-drawn card for htmx, or the whole dimension page without JavaScript."""
    card.setdefault("clarification", clarification_context(assessment, indicator, request.user))
    if is_htmx(request):
        context = {
            "card": card,
            "may_confirm": workflow.may_set_self(request.user, assessment),
            **dimension_summary(assessment, indicator.dimension),
        }
        return render(
            request, "assessments/includes/_indicator_response.html", context, status=status
        )
    if status == 200:
        return redirect(
            reverse(
                "assessments:assessment_dimension",
                kwargs={"pk": assessment.pk, "dimension": indicator.dimension.code},
            )
            + f"#indicator-{indicator.code}"
        )
    return render_dimension(request, assessment, indicator.dimension, bound=card, status=status)


@login_required
@require_POST
def answer_update(request, pk, indicator):
    assessment, indicator, answer = answer_target(request, pk, indicator)
    may_self = workflow.may_set_self(request.user, assessment)
    may_verify = workflow.may_set_verified(request.user, assessment)
    form = answer_form(assessment, indicator, answer, may_self, may_verify, data=request.POST)
    extra, status = {}, 200
    if not (may_self or may_verify):
        refusal = workflow.change_refusal(request.user, assessment)
        extra["error"] = _("Penilaian ini tidak dapat Anda ubah pada tahap ini.")
        status = status_for(refusal)
    elif form.is_valid():
        try:
            answer = workflow.answer_save(
                assessment,
                indicator,
                user=request.user,
                version=form.cleaned_data["version"],
                **form.changes(),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            status = 400
        except workflow.AnswerConflict as conflict:
            extra["conflict"] = conflict.current
            extra["error"] = conflict.message
            # The next save is a deliberate overwrite of what the user has now seen.
            data = request.POST.copy()
            data[f"{indicator.code}-version"] = conflict.current.version
            form = answer_form(
                assessment, indicator, conflict.current, may_self, may_verify, data=data
            )
            form.is_valid()
            answer = conflict.current
            status = 409
        except (Conflict, PermissionDenied) as error:
            extra["error"] = " ".join(messages_of(error))
            status = status_for(error)
        else:
            extra["saved"] = True
            form = answer_form(assessment, indicator, answer, may_self, may_verify)
    else:
        status = 400
    card = card_context(assessment, indicator, answer, form, may_self, may_verify, **extra)
    return respond_card(request, assessment, indicator, card, status=status)


@login_required
def answer_history(request, pk, indicator):
    """Every change of one indicator's answer and its evidence, newest first: the newest
    hundred for the folded panel of its card (htmx, when opened), all of them as a page."""
    assessment = visible_assessment(request, pk)
    indicator = framework_indicator(assessment.framework, indicator)
    if indicator is None:
        raise Http404
    context = {
        "assessment": assessment,
        "indicator": indicator,
        "history": workflow.answer_histories(assessment, [indicator])[indicator.pk],
    }
    if is_htmx(request):
        return render(request, "assessments/includes/_answer_history.html", context)
    return render(request, "assessments/answer_history.html", context)


@login_required
@require_POST
def evidence_create(request, pk, indicator):
    assessment, indicator, answer = answer_target(request, pk, indicator)
    may_self = workflow.may_set_self(request.user, assessment)
    may_verify = workflow.may_set_verified(request.user, assessment)
    evidence_form = EvidenceForm(request.POST, request.FILES, prefix=f"ev-{indicator.code}")
    extra, status = {}, 200
    if evidence_form.is_valid():
        try:
            workflow.evidence_add(
                assessment,
                indicator,
                user=request.user,
                title=evidence_form.cleaned_data["title"],
                file=evidence_form.cleaned_data["file"],
                url=evidence_form.cleaned_data["url"],
            )
        except ValidationError as error:
            evidence_form.add_error(
                "file" if evidence_form.cleaned_data.get("file") else None, error
            )
            status = 400
        except (Conflict, PermissionDenied) as error:
            extra["error"] = " ".join(messages_of(error))
            status = status_for(error)
        else:
            extra["saved"] = True
            evidence_form = None
            answer = Answer.objects.get(assessment=assessment, indicator=indicator)
    else:
        status = 400
    form = answer_form(assessment, indicator, answer, may_self, may_verify)
    card = card_context(
        assessment,
        indicator,
        answer,
        form,
        may_self,
        may_verify,
        evidence_form=evidence_form,
        **extra,
    )
    return respond_card(request, assessment, indicator, card, status=status)


def visible_evidence(request, pk):
    return get_object_or_404(
        Evidence.objects.visible_to(request.user).select_related(
            "answer__assessment__region", "answer__indicator__dimension"
        ),
        pk=pk,
    )


@login_required
def evidence_download(request, pk):
    evidence = visible_evidence(request, pk)
    if not evidence.file:
        raise Http404
    # Always a download, never shown inline: a file opened in the portal's origin could act
    # as the portal. The type is the one judged from the content when it was stored.
    response = FileResponse(
        evidence.file.open("rb"), content_type=download_type(evidence.content_type)
    )
    response["Content-Disposition"] = attachment_disposition(
        download_name(evidence.title, evidence.content_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = visible_evidence(request, pk)
    answer = evidence.answer
    assessment, indicator = answer.assessment, answer.indicator
    try:
        workflow.evidence_remove(evidence, user=request.user)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Bukti dukung dihapus."))
    return redirect(
        reverse(
            "assessments:assessment_dimension",
            kwargs={"pk": assessment.pk, "dimension": indicator.dimension.code},
        )
        + f"#indicator-{indicator.code}"
    )


def clarification_context(assessment, indicator, user, *, panel=None, **extra):
    """What the thread panel under an indicator's card shows: the threads, the form to ask or
    answer (``form`` replaces a fresh one), an ``error`` or ``saved``."""
    if panel is None:
        panel = clarifications.panels(assessment, [indicator], user)[indicator.pk]
    extra.setdefault("form", CommentForm(indicator=indicator))
    return {"panel": panel, **extra}


def with_clarifications(cards, assessment, user):
    """The cards of a dimension page, each with its thread panel; a fixed number of queries."""
    panels = clarifications.panels(assessment, [card["indicator"] for card in cards], user)
    for card in cards:
        card.setdefault(
            "clarification",
            clarification_context(
                assessment, card["indicator"], user, panel=panels[card["indicator"].pk]
            ),
        )
    return cards


@login_required
@require_POST
def clarification_create(request, pk, indicator):
    """Ask a question on an indicator, or answer its open thread (the head may attach a file)."""
    assessment, indicator, answer = answer_target(request, pk, indicator)
    form = CommentForm(request.POST, request.FILES, indicator=indicator)
    extra, status = {}, 200
    if form.is_valid():
        try:
            clarifications.comment(
                assessment,
                indicator,
                user=request.user,
                text=form.cleaned_data["text"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("file" if form.cleaned_data.get("file") else None, error)
            status = 400
        except (Conflict, PermissionDenied) as error:
            extra["error"] = " ".join(messages_of(error))
            status = status_for(error)
        else:
            extra["saved"] = _("Terkirim.")
            form = CommentForm(indicator=indicator)
    else:
        status = 400
    return respond_clarification(
        request, assessment, indicator, answer, form=form, status=status, **extra
    )


@login_required
@require_POST
def clarification_close(request, pk, indicator):
    """Close the open thread on an indicator."""
    assessment, indicator, answer = answer_target(request, pk, indicator)
    thread = clarifications.open_thread(assessment, indicator)
    extra, status = {}, 200
    try:
        if thread is None:
            raise Conflict(_("Tidak ada klarifikasi terbuka pada indikator ini."))
        clarifications.close(thread, user=request.user)
    except (Conflict, PermissionDenied) as error:
        extra["error"] = " ".join(messages_of(error))
        status = status_for(error)
    else:
        extra["saved"] = _("Klarifikasi ditutup.")
    return respond_clarification(request, assessment, indicator, answer, status=status, **extra)


def respond_clarification(request, assessment, indicator, answer, *, status, **extra):
    """The re-drawn thread panel (and the dimension's count) for htmx; without JavaScript, the
    dimension page at the panel, or with the panel's error."""
    if not is_htmx(request) and status == 200:
        messages.success(request, extra["saved"])
        return redirect(
            reverse(
                "assessments:assessment_dimension",
                kwargs={"pk": assessment.pk, "dimension": indicator.dimension.code},
            )
            + f"#clarification-{indicator.code}"
        )
    context = clarification_context(assessment, indicator, request.user, **extra)
    if is_htmx(request):
        return render(
            request,
            "assessments/includes/_clarification_response.html",
            {
                "assessment": assessment,
                "indicator": indicator,
                "clarification": context,
                "dimension": indicator.dimension,
                "open_counts": clarifications.open_counts(assessment),
            },
            status=status,
        )
    may_self = workflow.may_set_self(request.user, assessment)
    may_verify = workflow.may_set_verified(request.user, assessment)
    form = answer_form(assessment, indicator, answer, may_self, may_verify)
    card = card_context(
        assessment, indicator, answer, form, may_self, may_verify, clarification=context
    )
    return respond_card(request, assessment, indicator, card, status=status)
