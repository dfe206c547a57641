"""Model fields with the portal's limits on free text."""

from django.core.validators import MaxLengthValidator
from django.db import models

# Longest free text a user writes in one field (a description, a note, a reviewer's reason):
# a few pages, far beyond what any of them needs, far below what would burden a page or a PDF.
TEXT_MAX_LENGTH = 5000


def limited_text(*args, max_length: int = TEXT_MAX_LENGTH, **kwargs) -> models.TextField:
    """A TextField that holds at most ``max_length`` characters.

    ``max_length`` alone reaches the form and API fields made from the model (and the text
    area's ``maxlength``) but not ``full_clean``, which the domain functions and the import
    call; the validator covers those. The database column stays unlimited text.
    """
    return models.TextField(
        *args, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )
