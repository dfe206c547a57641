"""Numbers that arrive in a path or a query string, parsed by one function per kind.

A value that is not a number of that kind raises ``InvalidNumber`` (a ``ValueError``): the
pages answer 404 (the address names nothing), the API 400 (the request is wrong). Nothing out of
range reaches the database, where SQLite would fail on an integer above 64 bits.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _

# The years the portal serves: what an assessment, a plan or a report may be about.
FIRST_YEAR, LAST_YEAR = 2000, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
# The largest primary key both databases hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class InvalidNumber(ValueError):
    """A path or query value that is not a number of the expected kind."""


def _integer(value) -> int:
    text = str(value).strip()
    # Digits only: no sign, no spaces inside, no "1e3", no Unicode digits that int() accepts.
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise InvalidNumber(text)
    return int(text)


def parse_year(value) -> int:
    """A year the portal serves (``FIRST_YEAR``–``LAST_YEAR``)."""
    year = _integer(value)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidNumber(value)
    return year


def parse_id(value) -> int:
    """A database id: positive and within the database's range."""
    number = _integer(value)
    if not 1 <= number <= MAX_ID:
        raise InvalidNumber(value)
    return number


def year_message() -> str:
    return _("Tahun harus berupa angka %(first)s–%(last)s.") % {
        "first": FIRST_YEAR,
        "last": LAST_YEAR,
    }


def id_message() -> str:
    return _("ID harus berupa bilangan bulat positif.")


class _Converter:
    """A path converter over one parse function; the pages' variant answers 404 for a bad
    value (no URL matches), the API's 400 with the reason."""

    regex = "[0-9]+"
    parse = staticmethod(parse_id)
    message = staticmethod(id_message)

    def to_python(self, value):
        return self.parse(value)

    def to_url(self, value):
        return str(value)


class IdConverter(_Converter):
    pass


class YearConverter(_Converter):
    parse = staticmethod(parse_year)
    message = staticmethod(year_message)


class ApiIdConverter(IdConverter):
    def to_python(self, value):
        try:
            return self.parse(value)
        except InvalidNumber as error:
            raise BadRequest(self.message()) from error


class ApiYearConverter(ApiIdConverter):
    parse = staticmethod(parse_year)
    message = staticmethod(year_message)
