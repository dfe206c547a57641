"""Pages that need nothing inline, so that a policy without 'unsafe-inline' can guard them."""

import re

import pytest
from django.conf import settings

from egov_portal.templatetags.portal_tags import width_class


def test_no_template_of_a_page_writes_code_or_style_inline():
    """Every template a browser gets, partials too (an edit row, a bundle's progress).

    The PDF templates are left out: WeasyPrint reads them, no browser does.
    """
    pattern = re.compile(
        r"""\s(style|on[a-z]+)\s*=|<script(?![^>]*\bsrc=)[^>]*>|<style\b|javascript:"""
    )
    offenders = []
    for path in sorted((settings.BASE_DIR / "templates").rglob("*.html")):
        if "reports/pdf" in path.as_posix():
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "width-pct-0"),
        (0, "width-pct-0"),
        (62.5, "width-pct-63"),
        ("37.4", "width-pct-37"),
        (100, "width-pct-100"),
        (140, "width-pct-100"),
        (-5, "width-pct-0"),
    ],
)
def test_a_bar_width_is_a_whole_per_cent_between_0_and_100(value, expected):
    assert width_class(value) == expected


def test_every_bar_width_class_exists_in_the_stylesheet():
    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    for percent in range(101):
        assert f".width-pct-{percent} {{ width: {percent}%; }}" in css
