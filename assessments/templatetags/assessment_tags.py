from django import template

register = template.Library()


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
