"""API conventions shared by every app: routes, pagination and error translation (the schema's
account of errors is ``egov_portal.schema``; throttling is in ``egov_portal.throttling``, the
token endpoints in ``egov_portal.auth_views``)."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import register_converter
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import pagination, routers, serializers, status
from rest_framework.exceptions import MethodNotAllowed, NotFound, Throttled, ValidationError
from rest_framework.exceptions import PermissionDenied as APIPermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from egov_portal.errors import Conflict
from egov_portal.params import ApiIdConverter, ApiYearConverter
from egov_portal.versions import StaleVersion


class RegionCodeConverter:
    """A Kemendagri code in a path (``62``, ``62.10``); anything else matches no route."""

    regex = r"[0-9]{2}(?:\.[0-9]{2,4}){0,3}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


# An id or a year out of range in an API path answers 400 with the reason (the pages' 404 says
# the address names nothing; an API client sent a wrong request).
register_converter(ApiIdConverter, "api_id")
register_converter(ApiYearConverter, "api_year")
register_converter(RegionCodeConverter, "region_code")


class ManyPrimaryKeysField(serializers.ManyRelatedField):
    """A list of ids, read with one query however long it is.

    DRF's own (``PrimaryKeyRelatedField(many=True)``) reads each id with a query of its own;
    this answers the same errors for the same input, in the same order: the list's, then the
    first id of a wrong type, then the first id that names nothing the queryset holds.
    """

    def __init__(self, *, queryset, **kwargs):
        super().__init__(
            child_relation=serializers.PrimaryKeyRelatedField(queryset=queryset), **kwargs
        )

    def to_internal_value(self, data):
        if isinstance(data, str) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        if not self.allow_empty and len(data) == 0:
            self.fail("empty")
        child = self.child_relation
        queryset = child.get_queryset()
        pk = queryset.model._meta.pk
        pks = []
        for item in data:
            try:
                if isinstance(item, bool):
                    raise TypeError
                pks.append(pk.to_python(item))
            except (TypeError, ValueError, DjangoValidationError):
                child.fail("incorrect_type", data_type=type(item).__name__)
        found = queryset.in_bulk(pks)
        for value in pks:
            if value not in found:
                child.fail("does_not_exist", pk_value=value)
        return [found[value] for value in pks]


def api_router():
    """A router whose detail routes use path converters (each viewset's
    ``lookup_value_converter``), so an id too large for the database never reaches it."""
    return routers.SimpleRouter(use_regex_path=False)


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """The API's side of ``egov_portal.errors``: a domain refusal becomes its HTTP status with
    the domain's message; a stale version also carries what is saved now (``current``); a
    throttled request is told in the reader's language when it may be sent again. Django's own
    "No Answer matches the given query." is English and names a model: a 404 says only that
    nothing was found, unless its message was written for the reader (``user_message``)."""
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        exc = NotFound(getattr(exc, "user_message", None) or None)
    elif isinstance(exc, MethodNotAllowed):
        method = context["request"].method
        message = _("Metode %(method)s tidak dapat dipakai di alamat ini.") % {"method": method}
        exc = MethodNotAllowed(method, detail=message)
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = ValidationError(exc.message_dict)
        else:
            exc = ValidationError({"detail": exc.messages})
    elif isinstance(exc, PermissionDenied):
        exc = APIPermissionDenied(str(exc) or None)
    elif isinstance(exc, Conflict):
        body = {"detail": exc.message}
        if isinstance(exc, StaleVersion):
            body["current"] = current_representation(context["view"], exc.current)
        return Response(body, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, Throttled):
        exc = _throttled(exc.wait)
    return drf_exception_handler(exc, context)


def current_representation(view, current):
    """What is saved now, as the view shows it (a view may re-read it for its own shape)."""
    show = getattr(view, "current_representation", None)
    if show is not None:
        return show(current)
    return view.get_serializer(current).data


def _throttled(wait) -> Throttled:
    if wait:
        message = ngettext(
            "Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.",
            "Terlalu banyak permintaan. Coba lagi dalam %(seconds)d detik.",
            wait,
        ) % {"seconds": wait}
    else:
        message = _("Terlalu banyak permintaan. Coba lagi sebentar lagi.")
    throttled = Throttled(detail=message)
    throttled.wait = wait  # becomes the Retry-After header
    return throttled


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
