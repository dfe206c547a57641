"""The national ranking: every kabupaten/kota of the provinces a user may rank, together."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import figures
from reports.national_data import Sizes, generate

pytestmark = pytest.mark.django_db

User = get_user_model()
SIZES = Sizes(provinces=2, opds_per_region=1, applications=0, first_year=2020, last_year=2022)


@pytest.fixture
def nation(db):
    generate(SIZES, seed=3, password="bench12345")


def ranking(client, username, year=2021, **params):
    client.force_login(User.objects.get(username=username))
    query = "&".join(f"{k}={v}" for k, v in {"year": year, **params}.items())
    return client.get(reverse("reports:national_ranking") + "?" + query)


def test_an_administrator_ranks_every_province_s_regions_together(client, nation):
    response = ranking(client, "bench.admin")
    assert response.status_code == 200
    rows = response.context["rows"]
    # Two provinces of 14 kabupaten/kota each, in one order, highest index first.
    assert len(rows) == 28
    assert {row.region.parent.code for row in rows} == {"11", "12"}
    indexes = [row.index for row in rows]
    assert None not in indexes and indexes == sorted(indexes, reverse=True)
    assert [row.rank for row in rows][0] == 1
    content = response.content.decode()
    # The year's framework (SPBE 2020 from 2021) is named; each row names its province.
    assert "SPBE" in response.context["framework"].label
    assert content.count('data-testid="rank-') == 28
    row = content.split(f'data-testid="rank-{rows[0].region.code}"', 1)[1].split("</tr>", 1)[0]
    assert rows[0].region.parent.name in row
    assert "Rata-rata nasional" in content


def test_each_region_keeps_its_province_ranking_s_scores(client, nation):
    national = {row.region.code: row for row in ranking(client, "bench.admin").context["rows"]}
    province = figures.province_ranking(
        user=User.objects.get(username="bench.admin"),
        province=figures.Region.objects.get(code="12"),
        year=2021,
        framework=ranking(client, "bench.admin").context["framework"],
    )
    for row in province:
        assert national[row.region.code].index == row.index
        assert national[row.region.code].change == row.change


def test_a_reviewer_sees_their_own_province_only(client, nation):
    rows = ranking(client, "bench.reviewer.11").context["rows"]
    assert len(rows) == 14 and {row.region.parent.code for row in rows} == {"11"}


def test_a_head_is_not_shown_the_national_ranking(client, nation):
    assert ranking(client, "bench.head.11.01").status_code == 404


def test_a_year_of_pegi_ranks_in_pegi(client, nation):
    response = ranking(client, "bench.admin", year=2020)
    assert response.context["framework"].code == "pegi"
    assert len([row for row in response.context["rows"] if row.index is not None]) == 28


def test_the_ranking_reads_a_fixed_number_of_queries(client, nation):
    ranking(client, "bench.admin")  # builds the framework's structure once per process
    with CaptureQueriesContext(connection) as few:
        ranking(client, "bench.admin")
    ranking(client, "bench.admin", year=2020)
    with CaptureQueriesContext(connection) as pegi:
        ranking(client, "bench.admin", year=2020)
    assert len(few) == len(pegi) <= 25
