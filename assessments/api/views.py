from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from assessments import clarifications, workflow
from assessments.api.serializers import (
    AnswerSerializer,
    AssessmentDetailSerializer,
    AssessmentSerializer,
    ClarificationSerializer,
    CommentSerializer,
    CycleSerializer,
    FrameworkDetailSerializer,
    FrameworkSerializer,
    TransitionSerializer,
)
from assessments.filters import AssessmentFilter, CycleFilter
from assessments.models import (
    Answer,
    Assessment,
    Cycle,
    CycleExtension,
    Evidence,
    Framework,
    Indicator,
    Level,
)
from assessments.scoring import framework_indicator, results_for
from egov_portal.api import HistoryEntrySerializer, history_response
from egov_portal.errors import WrongState


class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    """Assessment frameworks: dimensions, (aspects,) indicators and level descriptors."""

    lookup_field = "code"
    lookup_value_converter = "slug"

    def get_queryset(self):
        queryset = Framework.objects.all()
        if self.action == "retrieve":
            indicators = Indicator.objects.prefetch_related(
                Prefetch("levels", queryset=Level.objects.order_by("level"))
            )
            queryset = queryset.prefetch_related(
                "bands",
                Prefetch("dimensions__indicators", queryset=indicators),
                Prefetch("dimensions__aspects__indicators", queryset=indicators),
            )
        return queryset

    def get_serializer_class(self):
        return FrameworkDetailSerializer if self.action == "retrieve" else FrameworkSerializer


class AssessmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessments of the regions the caller may see, with their scores."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    lookup_value_converter = "api_id"

    def get_queryset(self):
        return Assessment.objects.visible_to(self.request.user).for_list()

    def get_serializer_class(self):
        return AssessmentDetailSerializer if self.action == "retrieve" else AssessmentSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "results": results_for(page)}
        serializer = AssessmentSerializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def perform_create(self, serializer):
        serializer.instance = workflow.assessment_create(
            user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=TransitionSerializer, responses=AssessmentSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the assessment along its workflow: ``{"to": "submitted", "note": "…"}``."""
        assessment = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        workflow.assessment_transition(assessment, user=request.user, **body.validated_data)
        assessment.refresh_from_db()
        return Response(self.get_serializer(assessment).data)


def visible_assessment(request, assessment_pk):
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("region", "framework"),
        pk=assessment_pk,
    )


def visible_indicator(assessment, code):
    return get_object_or_404(Indicator, dimension__framework=assessment.framework, code=code)


def answers_of(assessment):
    return (
        Answer.objects.filter(assessment=assessment)
        .select_related("indicator", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")))
    )


class AnswerListView(generics.ListAPIView):
    """The saved answers of an assessment."""

    serializer_class = AnswerSerializer
    filter_backends = []

    def get_queryset(self):
        assessment = visible_assessment(self.request, self.kwargs["assessment_pk"])
        return answers_of(assessment).order_by("indicator__dimension__order", "indicator__order")


class AnswerDetailView(generics.GenericAPIView):
    """One indicator's answer. PUT and PATCH change only the fields they carry and need the
    ``version`` last read; an indicator not answered yet reads as version 0."""

    serializer_class = AnswerSerializer
    filter_backends = []

    def current_representation(self, current):
        # An indicator never answered has nothing saved yet: its version 0 is current.
        saved = answers_of(current.assessment).filter(pk=current.pk).first() if current.pk else None
        return self.get_serializer(saved or current).data

    def target(self):
        assessment = visible_assessment(self.request, self.kwargs["assessment_pk"])
        indicator = get_object_or_404(
            Indicator, dimension__framework=assessment.framework, code=self.kwargs["indicator"]
        )
        answer = answers_of(assessment).filter(indicator=indicator).first() or Answer(
            assessment=assessment, indicator=indicator, version=0
        )
        return assessment, indicator, answer

    def get_object(self):
        # What OPTIONS (DRF's metadata) reads to describe a PUT: without it, a 500.
        return self.target()[2]

    def get(self, request, *args, **kwargs):
        _assessment, _indicator, answer = self.target()
        return Response(self.get_serializer(answer).data)

    def put(self, request, *args, **kwargs):
        return self.save(request)

    def patch(self, request, *args, **kwargs):
        return self.save(request)

    def save(self, request):
        assessment = visible_assessment(self.request, self.kwargs["assessment_pk"])
        indicator = framework_indicator(assessment.framework, self.kwargs["indicator"])
        if indicator is None:
            raise Http404
        # The saved answer is read, locked, by ``answer_save``: the body is only checked here.
        answer = Answer(assessment=assessment, indicator=indicator, version=0)
        body = self.get_serializer(answer, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        changes = dict(body.validated_data)
        version = changes.pop("version", None)
        if version is None:
            return Response(
                {
                    "version": [
                        _(
                            "Sertakan versi jawaban yang terakhir Anda baca (0 untuk indikator "
                            "yang belum dijawab)."
                        )
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        saved = workflow.answer_save(
            assessment, indicator, user=request.user, version=version, **changes
        )
        # What was just written under the lock, with its evidence read afresh.
        prefetch_related_objects(
            [saved], Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at"))
        )
        return Response(self.get_serializer(saved).data)


class AnswerHistoryView(generics.GenericAPIView):
    """Every change to one indicator's answer and to its evidence, newest first: who, when,
    and each changed field's old and new value."""

    serializer_class = HistoryEntrySerializer
    filter_backends = []

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    def get(self, request, *args, **kwargs):
        assessment = visible_assessment(request, self.kwargs["assessment_pk"])
        indicator = get_object_or_404(
            Indicator, dimension__framework=assessment.framework, code=self.kwargs["indicator"]
        )
        entries = workflow.answer_histories(assessment, [indicator])[indicator.pk]
        return history_response(self, entries)


class CommentListView(generics.ListAPIView):
    """The clarification threads on one indicator, as their comments, oldest first. POST asks
    (a reviewer; it opens a thread when none is open) or answers the open thread (the head may
    attach a ``file``, multipart, which becomes evidence of the indicator's answer)."""

    serializer_class = CommentSerializer
    filter_backends = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def target(self):
        assessment = visible_assessment(self.request, self.kwargs["assessment_pk"])
        return assessment, visible_indicator(assessment, self.kwargs["indicator"])

    def get_queryset(self):
        return clarifications.comments_of(*self.target())

    @extend_schema(responses={201: CommentSerializer})
    def post(self, request, *args, **kwargs):
        assessment, indicator = self.target()
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = clarifications.comment(
            assessment,
            indicator,
            user=request.user,
            text=body.validated_data["text"],
            file=body.validated_data.get("file"),
        )
        saved = clarifications.comments_of(assessment, indicator).get(pk=comment.pk)
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)


class CommentCloseView(generics.GenericAPIView):
    """Close the open clarification thread on one indicator (the head or a reviewer)."""

    serializer_class = ClarificationSerializer
    filter_backends = []

    @extend_schema(request=None, responses=ClarificationSerializer)
    def post(self, request, *args, **kwargs):
        assessment = visible_assessment(request, self.kwargs["assessment_pk"])
        indicator = visible_indicator(assessment, self.kwargs["indicator"])
        thread = clarifications.open_thread(assessment, indicator)
        if thread is None:
            raise WrongState(_("Tidak ada klarifikasi terbuka pada indikator ini."))
        thread = clarifications.close(thread, user=request.user)
        return Response(self.get_serializer(thread).data)


class CycleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The evaluation cycles of the provinces the caller sees: stages with their dates, and the
    extensions granted to the regions the caller sees. Set on the cycles page."""

    serializer_class = CycleSerializer
    filterset_class = CycleFilter

    def get_queryset(self):
        extensions = CycleExtension.objects.visible_to(self.request.user).select_related("region")
        return (
            Cycle.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related(Prefetch("extensions", queryset=extensions))
            .order_by("province__code", "-year", "pk")
        )
