"""No lost writes on yearly targets: a realisation recorded from a stale page or a stale API
read is refused with what is saved now; every change is kept in the target's history."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from masterplan import workflow
from masterplan.models import Target
from opds.models import Membership
from tests.opds.factories import user_with_role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def deputy(gunung_mas):
    """A second head's account of the same region (a deputy recording in parallel)."""
    return user_with_role(Membership.Role.HEAD, region=gunung_mas, username="sekdis.gumas")


def row(target, version, **values):
    data = {"realisation": "", "budget_realised": "", "notes": "", "evidence": "", **values}
    data["version"] = version
    return {f"target-{target.pk}-{name}": value for name, value in data.items()}


def update_url(target):
    return reverse("masterplan:target_update", kwargs={"pk": target.pk})


def realisation_url(plan):
    return f"/api/v1/masterplans/{plan.pk}/realisation/"


def test_a_realisation_bumps_the_version_and_the_same_values_again_do_not(
    programme, target_2018, head
):
    workflow.target_record_realisation(programme, user=head, year=2018, version=1, realisation=12)
    target_2018.refresh_from_db()
    assert (target_2018.realisation, target_2018.version) == (Decimal(12), 2)
    workflow.target_record_realisation(programme, user=head, year=2018, version=1, realisation=12)
    target_2018.refresh_from_db()
    assert target_2018.version == 2
    assert target_2018.history.count() == 2  # created, then one change


def test_the_row_shows_a_conflict_and_keeps_what_was_typed(
    client, programme, target_2018, head, deputy
):
    client.force_login(deputy)
    workflow.target_record_realisation(programme, user=head, year=2018, version=1, realisation=14)
    response = client.post(
        update_url(target_2018), row(target_2018, 1, realisation="16", notes="Dari deputi"), **HTMX
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert 'data-testid="conflict"' in content
    assert 'value="16"' in content and "Dari deputi" in content
    rows = {d.label: (d.saved, d.yours) for d in response.context["row"]["conflict"]["differences"]}
    assert rows["Realisasi"] == ("14", "16")
    target_2018.refresh_from_db()
    assert (target_2018.realisation, target_2018.notes) == (Decimal(14), "")
    # The row now carries the current version: saving again is a deliberate overwrite.
    assert f'name="target-{target_2018.pk}-version" value="2"' in content
    again = client.post(
        update_url(target_2018), row(target_2018, 2, realisation="16", notes="Dari deputi"), **HTMX
    )
    assert again.status_code == 200
    target_2018.refresh_from_db()
    assert (target_2018.realisation, target_2018.version) == (Decimal(16), 3)


def test_the_api_refuses_a_stale_version_with_the_current_target(plan, programme, head, deputy):
    api = APIClient()
    payload = {"programme": programme.pk, "year": 2018, "version": 1}
    api.force_authenticate(head)
    assert (
        api.post(realisation_url(plan), {**payload, "realisation": 14}, format="json").status_code
        == 200
    )
    api.force_authenticate(deputy)
    stale = api.post(realisation_url(plan), {**payload, "realisation": 16}, format="json")
    assert stale.status_code == 409
    assert (stale.json()["current"]["realisation"], stale.json()["current"]["version"]) == (14.0, 2)
    missing = api.post(
        realisation_url(plan),
        {"programme": programme.pk, "year": 2018, "realisation": 16},
        format="json",
    )
    assert missing.status_code == 400 and "version" in missing.json()
    for year in (1, 99999, "dua"):
        bad = api.post(
            realisation_url(plan), {**payload, "year": year, "realisation": 1}, format="json"
        )
        assert bad.status_code == 400
    assert Target.objects.get(programme=programme, year=2018).realisation == Decimal(14)


def test_the_programme_page_shows_who_changed_a_realisation_and_from_what(
    client, programme, head, deputy, reviewer
):
    workflow.target_record_realisation(programme, user=head, year=2018, version=1, realisation=14)
    workflow.target_record_realisation(
        programme, user=deputy, year=2018, version=2, realisation=16, budget_realised=900_000_000
    )
    client.force_login(reviewer)
    url = reverse(
        "masterplan:programme_detail", kwargs={"plan_pk": programme.plan_id, "pk": programme.pk}
    )
    history = client.get(url).context["history"]
    latest = history[0]
    assert latest.user == deputy
    assert {c.field: (c.old, c.new) for c in latest.changes} == {
        "realisation": (Decimal(14), Decimal(16)),
        "budget_realised": (None, 900_000_000),
    }
    content = client.get(url).content.decode()
    assert "900.000.000" in content


def test_a_target_changed_in_the_django_admin_is_a_new_version(
    client, programme, target_2018, admin_user
):
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:masterplan_programme_change", args=[programme.pk])
    page = client.get(url)
    formsets = [inline.formset for inline in page.context["inline_admin_formsets"]]
    forms = [page.context["adminform"].form]
    for formset in formsets:
        forms += [formset.management_form, *formset.forms]
    data = {
        form.add_prefix(name): form[name].value()
        for form in forms
        for name in form.fields
        if form[name].value() is not None and form[name].value() is not False
    }
    targets = next(formset for formset in formsets if formset.model is Target)
    index = next(i for i, f in enumerate(targets.forms) if f.instance.pk == target_2018.pk)
    data[f"{targets.prefix}-{index}-target"] = "25"
    response = client.post(url, data)
    assert response.status_code == 302, [
        f.errors for inline in response.context["inline_admin_formsets"] for f in inline.formset
    ] + [response.context["adminform"].form.errors]
    target_2018.refresh_from_db()
    assert (target_2018.target, target_2018.version) == (Decimal(25), 2)
    assert target_2018.history.latest().history_user == admin_user
