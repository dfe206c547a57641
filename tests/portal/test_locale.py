import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation

from opds.models import Application
from tests.opds.factories import ApplicationFactory

NAMED_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
}
# A date or time filter, with what precedes it on the line: machine-readable values for a
# <time datetime="…"> attribute may use ISO patterns, nothing a person reads may.
DATE_FILTER = re.compile(r"""(datetime=["']\{\{[^}|]*)?\|(?:date|time)(?::(["'])(.*?)\2)?""")
MACHINE_FORMATS = {"c", "Y-m-d"}
FORMAT_CALL = re.compile(r"""\b(?:date_format|time_format)\([^()]*?,\s*(["'])(.*?)\1""")
CODE_FOLDERS = ["assessments", "egov_portal", "masterplan", "opds", "reports"]


def literal_formats_in_templates():
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in DATE_FILTER.finditer(line):
                machine, pattern = match.group(1), match.group(3)
                if pattern is None or pattern in NAMED_FORMATS:
                    continue
                if machine and pattern in MACHINE_FORMATS:
                    continue
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {pattern}")
    return found


def test_templates_write_dates_only_in_the_named_formats():
    assert literal_formats_in_templates() == []


def test_the_template_check_finds_a_spelled_out_pattern(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text(
        '<time datetime="{{ at|date:\'c\' }}">{{ at|date:"DATETIME_FORMAT" }}</time>'
        '{{ due|date:"j M Y" }} {{ at|date:"c" }}'
    )
    settings.BASE_DIR = tmp_path
    assert literal_formats_in_templates() == [
        "templates/page.html:1: j M Y",
        "templates/page.html:1: c",
    ]


def test_code_formats_dates_only_in_the_named_formats():
    found = []
    for folder in CODE_FOLDERS:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*.py")):
            for match in FORMAT_CALL.finditer(path.read_text(encoding="utf-8")):
                if match.group(2) not in NAMED_FORMATS:
                    found.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(2)}")
    assert found == []


def test_dates_read_as_written_in_each_language():
    moment = datetime.datetime(2026, 12, 1, 14, 5)
    with translation.override("id"):
        assert formats.date_format(moment, "DATE_FORMAT") == "1 Desember 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 Desember 2026 14.05"
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "1 Des 2026"
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "1 December 2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 December 2026, 14:05"


def test_a_page_shows_the_time_of_a_change_in_the_portals_format(client, opd_staff, kominfo):
    application = ApplicationFactory(opd=kominfo)
    Application.objects.filter(pk=application.pk).update(
        changed_at=datetime.datetime(2026, 3, 9, 1, 7, tzinfo=datetime.UTC)
    )
    client.force_login(opd_staff)
    content = client.get(application.get_absolute_url()).content.decode()
    # 01.07 UTC is 08.07 in the portal's time zone (WIB).
    assert "9 Maret 2026 08.07" in content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(application.get_absolute_url()).content.decode()
    assert "9 March 2026, 08:07" in content


def language_options(client):
    content = client.get("/accounts/login/").content.decode()
    select = content.split('id="language-select"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', select)


def test_the_language_switcher_names_each_language_in_itself(client, db):
    expected = [("id", "Bahasa Indonesia"), ("en", "English")]
    assert language_options(client) == expected
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert language_options(client) == expected
