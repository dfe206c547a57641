import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from assessments.models import Answer, Assessment, Cycle, Indicator, Transition
from assessments.workflow import answer_save
from masterplan.models import MasterPlan, Programme, Target
from opds.models import OPD, Application, Membership, Region
from reports.national_data import Sizes, generate

TINY = Sizes(provinces=1, opds_per_region=3, applications=20, first_year=2020, last_year=2022)
TINY_ARGS = [
    "--provinces=1",
    "--opds-per-region=3",
    "--applications=20",
    "--first-year=2020",
    "--last-year=2022",
]


def digest() -> str:
    """A fingerprint of what was generated, by natural keys (primary keys aside)."""
    queries = [
        Region.objects.order_by("code").values_list("code", "name", "kind", "parent__code"),
        OPD.objects.order_by("region__code", "name").values_list(
            "region__code", "name", "short_name", "kind", "active"
        ),
        Application.objects.order_by("name").values_list(
            "name", "opd__region__code", "opd__name", "platform", "status", "year_built", "hosting"
        ),
        Membership.objects.order_by("user__username").values_list(
            "user__username", "role", "region__code", "opd__name"
        ),
        Cycle.objects.order_by("province__code", "year").values_list(
            "province__code", "year", "framework__code", "submission_deadline"
        ),
        Assessment.objects.order_by("region__code", "year").values_list(
            "region__code", "year", "framework__code", "status", "created_at", "updated_at"
        ),
        Answer.objects.order_by(
            "assessment__region__code", "assessment__year", "indicator__code"
        ).values_list(
            "assessment__region__code",
            "assessment__year",
            "indicator__code",
            "self_level",
            "verified_level",
            "reason",
            "updated_at",
        ),
        Transition.objects.order_by(
            "assessment__region__code", "assessment__year", "at"
        ).values_list(
            "assessment__region__code",
            "assessment__year",
            "from_status",
            "to_status",
            "at",
            "user__username",
        ),
        Programme.objects.order_by("plan__region__code", "name").values_list(
            "plan__region__code", "name", "opd__name", "dimension__code"
        ),
        Target.objects.order_by(
            "programme__plan__region__code", "programme__name", "year"
        ).values_list(
            "programme__plan__region__code",
            "programme__name",
            "year",
            "target",
            "realisation",
            "budget_planned",
            "budget_realised",
        ),
        Answer.history.order_by(
            "assessment__region__code", "assessment__year", "indicator__code"
        ).values_list("history_date", "history_user__username", "verified_level"),
    ]
    content = repr([list(query) for query in queries])
    return hashlib.sha256(content.encode()).hexdigest()


def digest_of(seed):
    """The digest of what ``seed`` generates, leaving the database as it was."""
    with transaction.atomic():
        generate(TINY, seed=seed)
        fingerprint = digest()
        transaction.set_rollback(True)
    assert not Region.objects.exists()
    return fingerprint


def test_the_command_makes_what_the_sizes_ask_and_says_so(db):
    out = StringIO()
    call_command("generate_national_data", *TINY_ARGS, stdout=out)
    # One province and its 14 kabupaten/kota, 3 OPDs each.
    assert Region.objects.filter(kind=Region.Kind.PROVINCE).count() == 1
    regencies = Region.objects.exclude(kind=Region.Kind.PROVINCE)
    assert regencies.count() == 14
    assert OPD.objects.count() == 15 * 3
    assert Application.objects.count() == 20
    # Regencies only are assessed, every year; cycles for the province, every year.
    assert Assessment.objects.count() == 14 * 3
    assert set(Assessment.objects.values_list("region__kind", flat=True)) <= {"regency", "city"}
    assert Cycle.objects.count() == 3
    assert MasterPlan.objects.filter(status=MasterPlan.Status.IN_FORCE).count() == 14
    assert Target.objects.filter(realisation__isnull=False).exists()
    assert Target.objects.filter(realisation__isnull=True).exists()
    # Accounts: admin, the reviewer, a head and an OPD operator per regency.
    assert get_user_model().objects.count() == 1 + 1 + 14 * 2
    assert Membership.objects.get(user__username="bench.reviewer.11").region.code == "11"
    operator = Membership.objects.get(user__username="bench.opd.11.01")
    assert operator.role == Membership.Role.OPD_STAFF
    assert operator.opd == OPD.objects.filter(region__code="11.01").order_by("pk").first()
    admin = get_user_model().objects.get(username="bench.admin")
    assert admin.is_superuser and admin.membership.role == Membership.Role.ADMIN
    # What keeps history has a creation record of every row.
    for model in (Application, Membership, Assessment, Answer, Transition, MasterPlan, Target):
        assert model.history.filter(history_type="+").count() == model.objects.count()
    printed = out.getvalue()
    assert f"Answer: {Answer.objects.count():,}" in printed
    assert "Region: 15" in printed
    assert "history rows in all:" in printed
    assert " s." in printed


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = digest_of(1)
    assert digest_of(1) == first
    assert digest_of(2) != first


def test_a_database_that_holds_regions_is_refused(db):
    Region.objects.create(code="62", name="Provinsi Kalimantan Tengah", kind="province")
    with pytest.raises(CommandError, match="already holds regions"):
        call_command("generate_national_data", *TINY_ARGS, stdout=StringIO())
    assert Region.objects.count() == 1


def test_every_indicator_is_answered_within_the_framework_scale(db):
    generate(TINY, seed=1)
    levels = set()
    for assessment in Assessment.objects.select_related("framework"):
        framework = assessment.framework
        indicators = Indicator.objects.filter(dimension__framework=framework)
        answers = assessment.answers.all()
        assert answers.count() == indicators.count()
        for answer in answers:
            for level in (answer.self_level, answer.verified_level):
                assert framework.scale_min <= level <= framework.scale_max
            assert not answer.differs or answer.reason
            levels.add(answer.verified_level)
    assert len(levels) >= 3


def test_the_framework_and_the_status_follow_the_year(db):
    generate(TINY, seed=1)
    frameworks = dict(Assessment.objects.values_list("year", "framework__code").distinct())
    assert frameworks == {2020: "pegi", 2021: "spbe-2020", 2022: "spbe-2020"}
    assert dict(Cycle.objects.values_list("year", "framework__code")) == frameworks
    statuses = set(Assessment.objects.values_list("year", "status").distinct())
    assert statuses == {(2020, "final"), (2021, "final"), (2022, "in_review")}
    final = Assessment.objects.filter(year=2021).first()
    assert list(final.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "final"),
    ]
    assert Assessment.objects.get(region__code="11.01", year=2022).transitions.last().to_status == (
        "in_review"
    )


def test_the_generated_head_logs_in_with_the_password_and_opens_the_dashboard(db, client):
    call_command("generate_national_data", *TINY_ARGS, "--password=rahasia123", stdout=StringIO())
    response = client.post(
        "/accounts/login/", {"username": "bench.head.11.01", "password": "rahasia123"}
    )
    assert response.status_code == 302
    response = client.get("/reports/regions/11.01/?year=2022")
    assert response.status_code == 200
    assert "Kabupaten Uji 1-1" in response.content.decode()


def test_the_province_reviewer_verifies_the_open_year(db):
    generate(TINY, seed=1)
    reviewer = get_user_model().objects.get(username="bench.reviewer.11")
    assessment = Assessment.objects.get(region__code="11.01", year=2022)
    answer = assessment.answers.select_related("indicator").first()
    level = answer.self_level
    saved = answer_save(
        assessment,
        answer.indicator,
        user=reviewer,
        version=answer.version,
        verified_level=level,
        reason="",
    )
    assert saved.verified_level == level
    assert saved.version == answer.version + 1
