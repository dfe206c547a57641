from django import template

from assessments.templatetags.assessment_tags import DASH, signed_score
from reports.pdf import static_file_url

register = template.Library()


@register.simple_tag
def pdf_static(path):
    """A static file as a file:// URL, which WeasyPrint reads straight from disk."""
    return static_file_url(path)


@register.filter
def index_of(sequence, position):
    """The item at ``position``, or None when there is no such item (an unscored region)."""
    try:
        return sequence[position]
    except (IndexError, TypeError, KeyError):
        return None


@register.simple_tag
def change(current, before):
    """The signed difference of two scores (+0,35 / −0,12), or — when either is missing."""
    if current in (None, "") or before in (None, ""):
        return DASH
    return signed_score(current - before)


@register.filter
def get(mapping, key):
    return mapping.get(key)


@register.inclusion_tag("reports/includes/_sort_header.html", takes_context=True)
def sort_header(context, key, label, numeric=True, css=""):
    """A column header of the ranking that sorts by ``key``: marked with its direction when it
    is the sorted column, a click reversing it; otherwise a click sorts it, numbers highest
    first and names from A."""
    sort = context["sort"]
    descending = sort.startswith("-")
    if sort.removeprefix("-") == key:
        state = "descending" if descending else "ascending"
        link = key if descending else f"-{key}"
    else:
        state = None
        link = f"-{key}" if numeric else key
    return {
        "label": label,
        "state": state,
        "link": link,
        "css": css,
        "year": context["year"],
    }
