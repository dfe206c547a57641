"""Two assessments of a region side by side: the comparison, its page, its API and the
region report's section on changes since the previous year."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import scoring, workflow
from assessments.models import Assessment, Framework, Indicator
from reports import documents, figures
from tests.assessments.factories import make_assessment, make_framework
from tests.reports.conftest import pdf_text

User = get_user_model()

# (self level, verified level, not applicable) per indicator, before and after.
BEFORE = {
    "policy-01": (2, None, False),  # goes up
    "policy-02": (3, None, False),  # goes down
    "policy-03": (2, None, False),  # stays
    "planning-01": (None, None, True),  # stays not applicable
    # planning-02 unanswered, answered later
    "planning-03": (1, 3, False),  # verified 3 counts; later self 3: unchanged
}
AFTER = {
    "policy-01": (3, None, False),
    "policy-02": (1, None, False),
    "policy-03": (2, None, False),
    "planning-01": (None, None, True),
    "planning-02": (2, None, False),
    "planning-03": (3, None, False),
}


def answer_all(assessment, answers, user):
    indicators = {
        i.code: i for i in Indicator.objects.filter(dimension__framework_id=assessment.framework_id)
    }
    for code, (self_level, verified, not_applicable) in answers.items():
        workflow.answer_save(
            assessment,
            indicators[code],
            user=user,
            version=0,
            self_level=self_level,
            verified_level=verified,
            not_applicable=not_applicable,
            reason="Bukti lapangan" if verified not in (None, self_level) else "",
        )


@pytest.fixture
def pair(admin_user, gunung_mas):
    framework = make_framework(code="mini", dimensions=("policy", "planning"), per_dimension=3)
    before = make_assessment(admin_user, gunung_mas, framework, 2019)
    after = make_assessment(admin_user, gunung_mas, framework, 2020)
    answer_all(before, BEFORE, admin_user)
    answer_all(after, AFTER, admin_user)
    return before, after


def test_each_indicator_compares_its_effective_levels(pair):
    before, after = pair
    comparison = figures.assessment_comparison(before, after)
    rows = {row.code: row for row in comparison.indicators}
    assert [row.code for row in comparison.indicators] == [
        "policy-01",
        "policy-02",
        "policy-03",
        "planning-01",
        "planning-02",
        "planning-03",
    ]
    assert (rows["policy-01"].change, rows["policy-01"].direction) == (1, "up")
    assert (rows["policy-02"].change, rows["policy-02"].direction) == (-2, "down")
    assert (rows["policy-03"].change, rows["policy-03"].direction) == (0, "")
    assert rows["planning-01"].before.not_applicable and not rows["planning-01"].changed
    assert rows["planning-02"].before == figures.NOT_ANSWERED
    assert (rows["planning-02"].change, rows["planning-02"].direction) == (None, "other")
    # The verified level 3 counted in 2019; the self level 3 counts in 2020.
    assert rows["planning-03"].before.level == 3 and not rows["planning-03"].changed
    assert [row.code for row in comparison.changed_indicators] == [
        "policy-01",
        "policy-02",
        "planning-02",
    ]
    assert [row.code for row in comparison.most_changed(2)] == ["policy-02", "policy-01"]


def test_scores_and_index_change_are_the_scoring_functions(pair):
    before, after = pair
    comparison = figures.assessment_comparison(before, after)
    old, new = scoring.assessment_result(before), scoring.assessment_result(after)
    assert (comparison.before_index, comparison.after_index) == (old.index, new.index)
    assert comparison.index_change == new.index - old.index
    policy = comparison.dimensions[0]
    # Policy: (2 + 3 + 2) / 3 = 2,33 before, (3 + 1 + 2) / 3 = 2,00 after.
    assert (policy.before, policy.after) == (Decimal("2.33"), Decimal("2.00"))
    assert policy.change == Decimal("-0.33")
    assert comparison.same_framework and not comparison.derived


def page_url(code="62.10", **query):
    url = reverse("reports:region_compare", kwargs={"code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_page_shows_both_years_with_signs_not_colour_alone(client, pair, head):
    client.force_login(head)
    response = client.get(page_url())
    assert response.status_code == 200
    assert (response.context["from_year"], response.context["to_year"]) == (2019, 2020)
    content = response.content.decode()
    up = content.split('data-testid="level-change-policy-01">', 1)[1].split("</td>", 1)[0]
    down = content.split('data-testid="level-change-policy-02">', 1)[1].split("</td>", 1)[0]
    assert "▲" in up and "naik" in up and "+1" in up
    assert "▼" in down and "turun" in down and "−2" in down
    assert 'data-testid="change-policy">−0,33' in content
    assert content.count('data-testid="indicator-row"') == 6
    assert "T/B" in content


def test_only_changed_leaves_the_unchanged_rows_out(client, pair, head):
    client.force_login(head)
    response = client.get(page_url(changed=1))
    assert response.content.decode().count('data-testid="indicator-row"') == 3


def test_the_page_queries_do_not_grow_with_the_indicators(
    client, pair, head, django_assert_max_num_queries
):
    client.force_login(head)
    # 13 today; a query per indicator (6 here) or per answer would go past the bound.
    with django_assert_max_num_queries(15):
        assert client.get(page_url()).status_code == 200


def test_another_regions_head_gets_404(client, pair, katingan):
    from opds.models import Membership
    from tests.opds.factories import user_with_role

    other = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan")
    client.force_login(other)
    assert client.get(page_url()).status_code == 404
    api = APIClient()
    api.force_authenticate(other)
    assert api.get(api_url()).status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"to": "20x9"}, 404),
        ({"from": "1999"}, 404),
        ({"from": "2018"}, 404),
        ({"from": "2020"}, 400),
    ],
)
def test_years_the_page_cannot_compare(client, pair, head, query, status):
    client.force_login(head)
    response = client.get(page_url(**query))
    assert response.status_code == status


def test_a_region_with_one_year_says_there_is_nothing_to_compare(client, admin_user, katingan):
    framework = make_framework(code="mini")
    make_assessment(admin_user, katingan, framework, 2020)
    client.force_login(admin_user)
    response = client.get(page_url(code=katingan.code))
    assert response.status_code == 200
    assert "Belum ada penilaian sebelum tahun 2020" in response.content.decode()


def api_url(code="62.10", **query):
    url = reverse("region-compare", kwargs={"code": code})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_api_gives_the_same_comparison(pair, head, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(head)
    # 10 today; a query per indicator (6 here) would go past the bound.
    with django_assert_max_num_queries(12):
        response = api.get(api_url())
    assert response.status_code == 200
    data = response.json()
    assert (data["from"]["year"], data["to"]["year"]) == (2019, 2020)
    assert data["derived"] is False
    assert data["index_change"] == float(figures.assessment_comparison(*pair).index_change)
    assert data["dimensions"][0] == {
        "code": "policy",
        "label": "Dimensi policy",
        "from": 2.33,
        "to": 2.0,
        "change": -0.33,
    }
    rows = {row["code"]: row for row in data["indicators"]}
    assert rows["policy-02"]["from"] == 3 and rows["policy-02"]["to"] == 1
    assert rows["policy-02"]["change"] == -2 and rows["policy-02"]["dimension"] == "policy"
    assert rows["planning-01"]["from"] is None and rows["planning-01"]["from_not_applicable"]
    assert rows["planning-02"]["from"] is None and rows["planning-02"]["changed"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"to": "20x9"}, 400),
        ({"from": "1999"}, 400),
        ({"from": "2018"}, 404),
        ({"from": "2020"}, 400),
    ],
)
def test_years_the_api_cannot_compare(pair, head, query, status):
    api = APIClient()
    api.force_authenticate(head)
    assert api.get(api_url(**query)).status_code == status


def test_frameworks_that_differ_compare_by_dimension_through_the_crosswalk(demo):
    pegi = Assessment.objects.get(region__code="62.10", framework__code="pegi", year=2019)
    admin = get_user_model().objects.get(username="admin")
    # A year after the demo's own SPBE evaluation of 2021.
    spbe = make_assessment(admin, pegi.region, Framework.objects.get(code="spbe-2020"), 2022)
    codes = Indicator.objects.filter(dimension__framework=spbe.framework).values_list(
        "code", flat=True
    )
    answer_all(spbe, {code: (3, None, False) for code in codes}, admin)
    comparison = figures.assessment_comparison(pegi, spbe)
    derived = scoring.derived_result(spbe)
    assert comparison.derived and not comparison.indicators
    assert comparison.before_index == scoring.assessment_result(pegi).index
    # Level 3 of 5 everywhere is 2.50 on PeGI's 1-4 scale, in every dimension.
    assert comparison.after_index == derived.index == Decimal("2.50")
    assert [(d.code, d.after) for d in comparison.dimensions] == [
        (d.code, Decimal("2.50")) for d in derived.dimensions
    ]
    assert [d.code for d in comparison.dimensions] == [
        "policy",
        "institutions",
        "infrastructure",
        "applications",
        "planning",
    ]


def test_the_region_report_lists_the_indicators_changed_since_the_year_before(
    pair, head, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    before, after = pair
    pdf = documents.region_report(user=head, region=after.region, year=2020)
    text = "\n".join(pdf_text(pdf.content, tmp_path, layout=True))
    section = text.split("Perbandingan dengan tahun sebelumnya", 1)[1].split("Rencana induk", 1)[0]
    assert "3 indikator berubah levelnya dari penilaian 2019 ke 2020" in section
    assert section.index("policy-02") < section.index("policy-01") < section.index("planning-02")
    assert "▼ −2" in section and "▲ +1" in section
    assert "policy-03" not in section


def test_the_report_counts_the_changes_it_does_not_list(
    pair, head, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    before, after = pair
    monkeypatch.setattr(documents, "REPORT_CHANGES_LISTED", 2)
    pdf = documents.region_report(user=head, region=after.region, year=2020)
    text = " ".join(" ".join(pdf_text(pdf.content, tmp_path)).split())
    assert "1 indikator lain juga berubah levelnya" in text
    assert (
        "planning-02"
        not in text.split("Perbandingan dengan tahun sebelumnya", 1)[1].split(
            "Rincian indikator", 1
        )[0]
    )


def test_a_change_to_the_earlier_year_gives_the_report_a_new_version(pair, admin_user):
    before, after = pair
    version = documents.current_region_version("62.10", 2020)
    indicator = Indicator.objects.get(dimension__framework=before.framework, code="policy-03")
    answer = before.answers.get(indicator=indicator)
    workflow.answer_save(before, indicator, user=admin_user, version=answer.version, self_level=4)
    assert documents.current_region_version("62.10", 2020).version != version.version
