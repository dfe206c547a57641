import pytest
from django.conf import settings
from django.test import override_settings

from egov_portal.query_count import HEADER

COUNTED = ["egov_portal.query_count.QueryCountMiddleware", *settings.MIDDLEWARE]


@pytest.mark.django_db
def test_each_response_says_how_many_statements_it_ran_when_counting_is_on(client):
    with override_settings(QUERY_COUNT_HEADER=True, MIDDLEWARE=COUNTED):
        response = client.get("/healthz")
    assert response.status_code == 200
    # The health check's own SELECT 1.
    assert int(response[HEADER]) >= 1


@pytest.mark.django_db
def test_a_signed_in_page_counts_its_session_and_user_reads_too(client, reviewer):
    client.force_login(reviewer)
    with override_settings(QUERY_COUNT_HEADER=True, MIDDLEWARE=COUNTED):
        floor = int(client.get("/healthz")[HEADER])
        page = int(client.get("/")[HEADER])
    assert page > floor


@pytest.mark.django_db
def test_responses_carry_no_count_by_default(client):
    assert not settings.QUERY_COUNT_HEADER
    assert HEADER not in client.get("/healthz")
