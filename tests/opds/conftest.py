import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def indonesian():
    """Domain messages are checked in the portal's source language, whatever ran before."""
    with translation.override("id"):
        yield
