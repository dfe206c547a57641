from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

DASH = "—"


@register.filter
def same(value, other):
    """Whether a form value (posted text or initial number) names the same level as ``other``."""
    if value in (None, "") or other in (None, ""):
        return value in (None, "") and other in (None, "")
    return str(value) == str(other)


@register.filter
def localized(obj, field):
    """A framework text in the reader's language (``{{ indicator|localized:"evidence" }}``)."""
    return obj.localized(field)


@register.filter
def score(value):
    """A score with two decimals in the reader's format (``2,20``), or ``—``."""
    return DASH if value is None else floatformat(value, 2)


@register.filter
def signed_score(value):
    """A score difference with its sign: ``+0,25``, ``−0,40``."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{floatformat(abs(value), 2)}"


@register.filter
def for_dimension(counts, dimension):
    """The figure of ``dimension`` in a dict by dimension id (``open_counts|for_dimension:d``)."""
    return counts.get(dimension.pk, 0) if counts else 0
