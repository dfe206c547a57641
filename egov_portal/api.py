"""API conventions shared by every app: pagination and error translation."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler as drf_exception_handler


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Answer a domain function's Django ValidationError with HTTP 400, never 500."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = ValidationError(exc.message_dict)
        else:
            exc = ValidationError({"detail": exc.messages})
    return drf_exception_handler(exc, context)


class HistoryEntrySerializer(serializers.Serializer):
    """One change of one object (``egov_portal.history.Entry``)."""

    at = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="User name of who made the change.")
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.DictField(
        child=serializers.ListField(min_length=2, max_length=2),
        help_text="Field name → [old value, new value], as stored (ids for related records).",
    )

    def to_representation(self, entry):
        return super().to_representation(entry.as_dict())


def history_response(view, entries):
    """A paginated list of history entries, newest first."""
    page = view.paginate_queryset(entries)
    return view.get_paginated_response(HistoryEntrySerializer(page, many=True).data)
