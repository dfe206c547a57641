"""Query-string filters shared by every app's FilterSets, for the pages and the API alike.

A value that is not one the filter takes is a form error: the API answers 400 naming the
parameter (django-filter's ``DjangoFilterBackend``), a page shows the error beside the filter.
Nothing is silently ignored and nothing out of range reaches the database.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from egov_portal.params import InvalidNumber, id_message, parse_id, parse_year, year_message


class _NumberField(forms.Field):
    """A number parsed by one of ``egov_portal.params``' parsers, with its message."""

    parse = staticmethod(parse_id)
    message = staticmethod(id_message)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.parse(value)
        except InvalidNumber as error:
            raise forms.ValidationError(self.message(), code="invalid") from error

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "numeric"}


class IdField(_NumberField):
    pass


class YearField(_NumberField):
    parse = staticmethod(parse_year)
    message = staticmethod(year_message)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.Filter):
    field_class = IdField


@extend_schema_field({"type": "integer", "minimum": 2000, "maximum": 2100})
class YearFilter(django_filters.Filter):
    field_class = YearField


class ChoiceFilter(django_filters.ChoiceFilter):
    """One of the model's choices; anything else is an error, not an empty list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Semua"))
        kwargs.setdefault("null_label", None)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(django_filters.Filter):
    """``true`` or ``false``; Django's own boolean field would quietly ignore ``yes`` or ``2``."""

    field_class = forms.TypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("", _("Semua")), ("true", _("Ya")), ("false", _("Tidak"))])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class CheckboxFilter(django_filters.Filter):
    """A page's tick box: ticked or not, never an error."""

    field_class = forms.BooleanField


class SearchFilter(django_filters.CharFilter):
    """Free text, bounded so that a search stays cheap."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.FilterSet):
    """A FilterSet whose form may offer only what the user may see: the form's
    ``for_user(user)``, if it has one, is called once with the request's user."""

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for_user = getattr(form, "for_user", None)
            if for_user is not None and self.request is not None:
                for_user(self.request.user)
        return self._form

    def shown(self):
        """What a page lists: the filtered queryset, or nothing while a filter is invalid (the
        page shows its error beside it)."""
        return self.qs if self.is_valid() else self.queryset.none()
