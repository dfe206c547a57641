"""Clarification threads on an indicator: who may read and write them, the flow from a
reviewer's question to the head's answer with a document to closing, the counts, the inboxes'
queries, the page's panel and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import clarifications, workflow
from assessments.models import Assessment, Clarification, Comment, Evidence
from egov_portal import history
from egov_portal.errors import NotAllowed, WrongState
from opds.models import Membership
from tests.assessments.conftest import MINIMAL_PDF
from tests.assessments.factories import make_assessment
from tests.opds.factories import user_with_role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def in_review(draft, reviewer):
    workflow.assessment_transition(draft, user=reviewer, to="in_review")
    draft.refresh_from_db()
    return draft


def pdf(name="sk-tim-spbe.pdf"):
    return SimpleUploadedFile(name, MINIMAL_PDF)


def comments_url(assessment, code):
    return f"/api/v1/assessments/{assessment.pk}/answers/{code}/comments/"


def page_url(name, assessment, code):
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, "indicator": code})


def dimension_url(assessment, code):
    return reverse(
        "assessments:assessment_dimension", kwargs={"pk": assessment.pk, "dimension": code}
    )


def finalise(assessment, indicators, reviewer):
    for indicator in indicators.values():
        workflow.answer_save(assessment, indicator, user=reviewer, version=0, verified_level=3)
    workflow.assessment_transition(assessment, user=reviewer, to="final")
    assessment.refresh_from_db()


# The flow.


def test_a_question_answered_with_a_document_makes_it_evidence_and_either_side_closes(
    in_review, indicators, reviewer, head
):
    indicator = indicators["policy-01"]
    question = clarifications.ask(
        in_review, indicator, user=reviewer, text="Mohon unggah SK Tim SPBE."
    )
    thread = question.thread
    assert (thread.status, thread.waiting_on, thread.opened_by) == ("open", "head", reviewer)
    revision = Assessment.objects.get(pk=in_review.pk).revision

    # The head's evidence form is closed in review; answering the question still adds it.
    assert not workflow.may_edit(head, in_review)
    answer = clarifications.reply(thread, user=head, text="Terlampir.", file=pdf())
    assert answer.side == "head"
    evidence = answer.evidence
    assert evidence.answer.indicator == indicator
    assert evidence.answer.assessment == in_review
    assert (evidence.title, evidence.content_type) == ("sk-tim-spbe.pdf", "application/pdf")
    assert Assessment.objects.get(pk=in_review.pk).revision == revision + 1
    thread.refresh_from_db()
    assert thread.waiting_on == "reviewer"

    closed = clarifications.close(thread, user=head)
    assert (closed.status, closed.closed_by) == ("closed", head)
    assert closed.closed_at is not None
    with pytest.raises(WrongState):
        clarifications.reply(thread, user=reviewer, text="Satu lagi.")
    # A new question opens a new thread; the closed one stays as it was.
    again = clarifications.ask(in_review, indicator, user=reviewer, text="Dan SK tahun lalu?")
    assert again.thread != thread
    assert [c.text for c in thread.comments.all()] == ["Mohon unggah SK Tim SPBE.", "Terlampir."]


def test_a_second_question_joins_the_open_thread(draft, indicators, reviewer):
    first = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="Pertama?")
    second = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="Kedua?")
    assert first.thread == second.thread
    assert Clarification.objects.count() == 1


def test_a_refused_file_saves_neither_the_answer_nor_the_evidence(
    in_review, indicators, reviewer, head
):
    thread = clarifications.ask(
        in_review, indicators["policy-01"], user=reviewer, text="SK?"
    ).thread
    program = SimpleUploadedFile("sk.pdf", b"MZ\x90\x00This program cannot be run")
    with pytest.raises(ValidationError) as error:
        clarifications.reply(thread, user=head, text="Terlampir.", file=program)
    assert "tidak sesuai dengan jenisnya" in error.value.messages[0]
    assert not Evidence.objects.exists()
    assert thread.comments.count() == 1


def test_an_empty_comment_is_refused_with_a_message(draft, indicators, reviewer):
    with pytest.raises(ValidationError) as error:
        clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="   ")
    assert error.value.message_dict == {"text": ["Tuliskan pertanyaan atau jawaban Anda."]}
    assert not Clarification.objects.exists()


def test_a_comment_beyond_the_text_limit_is_refused(draft, indicators, reviewer):
    with pytest.raises(ValidationError) as error:
        clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="x" * 5001)
    assert "text" in error.value.message_dict
    assert not Comment.objects.exists()


def test_changes_are_kept_in_the_history_with_who_made_them(draft, indicators, reviewer, head):
    comment = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="SK?")
    clarifications.close(comment.thread, user=head)
    (created,) = history.entries(Comment, id=comment.pk)
    assert (created.kind, created.user) == ("created", reviewer)
    assert {c.field: c.new for c in created.changes}["text"] == "SK?"
    closing, opening = history.entries(Clarification, id=comment.thread_id)
    assert (opening.kind, opening.user) == ("created", reviewer)
    assert (closing.user, {c.field for c in closing.changes}) == (
        head,
        {"status", "closed_by", "closed_at"},
    )


# Who may do what, in which status.


def test_the_head_answers_but_does_not_ask(draft, indicators, reviewer, head):
    with pytest.raises(NotAllowed):
        clarifications.ask(draft, indicators["policy-01"], user=head, text="Pertanyaan?")
    thread = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="SK?").thread
    assert clarifications.reply(thread, user=head, text="Sudah ada.").side == "head"


def test_only_the_head_attaches_a_document_to_an_answer(in_review, indicators, reviewer):
    thread = clarifications.ask(
        in_review, indicators["policy-01"], user=reviewer, text="SK?"
    ).thread
    with pytest.raises(NotAllowed):
        clarifications.reply(thread, user=reviewer, text="Ini berkasnya.", file=pdf())
    assert not Evidence.objects.exists()


def test_people_outside_the_assessment_may_not_write(
    draft, indicators, reviewer, katingan, other_province, opd_staff
):
    thread = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="SK?").thread
    outsiders = [
        user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.katingan"),
        user_with_role(Membership.Role.REVIEWER, region=other_province, username="penilai.63"),
        opd_staff,
    ]
    for user in outsiders:
        with pytest.raises(NotAllowed):
            clarifications.reply(thread, user=user, text="Saya ikut.")
        with pytest.raises(NotAllowed):
            clarifications.close(thread, user=user)


def test_a_final_assessment_takes_no_comment_but_a_left_open_thread_may_be_closed(
    in_review, indicators, reviewer, head
):
    thread = clarifications.ask(
        in_review, indicators["policy-01"], user=reviewer, text="SK?"
    ).thread
    # Open threads do not block making the assessment final (the page asks instead).
    finalise(in_review, indicators, reviewer)
    assert in_review.status == "final"
    with pytest.raises(WrongState):
        clarifications.reply(thread, user=head, text="Terlampir.", file=pdf())
    with pytest.raises(WrongState):
        clarifications.ask(in_review, indicators["policy-02"], user=reviewer, text="Lagi?")
    assert clarifications.close(thread, user=reviewer).status == "closed"
    assert not Evidence.objects.exists()


# Counts and inboxes.


def test_open_threads_are_counted_by_dimension(draft, indicators, reviewer, head):
    assert clarifications.open_counts(draft) == {}
    assert clarifications.open_counts(draft).total == 0
    clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="A?")
    clarifications.ask(draft, indicators["policy-02"], user=reviewer, text="B?")
    closing = clarifications.ask(draft, indicators["planning-01"], user=reviewer, text="C?")
    clarifications.close(closing.thread, user=head)
    counts = clarifications.open_counts(draft)
    policy = indicators["policy-01"].dimension_id
    assert counts == {policy: 2}
    assert counts.total == 2


def test_each_side_waits_on_the_threads_whose_last_word_is_the_others(
    draft, framework, indicators, reviewer, head, katingan, django_assert_num_queries
):
    katingan_head = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.ktg")
    elsewhere = make_assessment(reviewer, katingan, framework)
    asked = clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="A?").thread
    answered = clarifications.ask(draft, indicators["policy-02"], user=reviewer, text="B?").thread
    clarifications.reply(answered, user=head, text="Sudah.")
    other = clarifications.ask(elsewhere, indicators["policy-01"], user=reviewer, text="C?").thread
    for user, expected in [
        (head, [asked]),
        (reviewer, [answered]),
        (katingan_head, [other]),
    ]:
        user = type(user).objects.get(pk=user.pk)  # its membership not read yet
        with django_assert_num_queries(2):  # the user's membership, then the threads
            assert list(clarifications.awaiting(user)) == expected
    clarifications.reply(answered, user=reviewer, text="Masih kurang tanda tangan.")
    assert set(clarifications.awaiting(head)) == {asked, answered}
    assert list(clarifications.awaiting(reviewer)) == []


def test_a_final_assessment_waits_on_nobody(in_review, indicators, reviewer, head):
    clarifications.ask(in_review, indicators["policy-01"], user=reviewer, text="A?")
    finalise(in_review, indicators, reviewer)
    assert list(clarifications.awaiting(head)) == []
    assert clarifications.open_counts(in_review).total == 1


# The pages.


def test_the_dimension_page_shows_threads_and_counts(client, draft, indicators, reviewer, head):
    clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="Mohon unggah SK.")
    client.force_login(head)
    content = client.get(dimension_url(draft, "policy")).content.decode()
    assert 'id="clarification-policy-01"' in content
    assert "Mohon unggah SK." in content
    assert "1 klarifikasi terbuka" in content
    assert "Kirim balasan" in content  # the head answers the open thread
    assert 'name="file"' in content
    # No question on the other indicator: nothing for the head to write there.
    assert 'action="' + page_url("clarification_create", draft, "policy-02") not in content
    detail = client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="open-count-policy"><span' in detail
    assert "1 klarifikasi terbuka" in detail


def test_asking_answering_and_closing_through_the_page_with_htmx(
    client, in_review, indicators, reviewer, head
):
    url = page_url("clarification_create", in_review, "policy-01")
    client.force_login(reviewer)
    response = client.post(url, {"text": "Mohon unggah SK."}, **HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="clarification-policy-01"' in content
    assert "Mohon unggah SK." in content
    assert 'id="open-count-policy"' in content and 'hx-swap-oob="true"' in content

    client.force_login(head)
    response = client.post(url, {"text": "Terlampir.", "file": pdf()}, **HTMX)
    assert response.status_code == 200
    assert Evidence.objects.get().comments.get().text == "Terlampir."
    assert "sk-tim-spbe.pdf" in response.content.decode()

    response = client.post(page_url("clarification_close", in_review, "policy-01"), **HTMX)
    assert response.status_code == 200
    assert "Klarifikasi ditutup." in response.content.decode()
    assert Clarification.objects.get().status == "closed"


def test_without_javascript_a_comment_redirects_back_and_an_error_keeps_the_text(
    client, draft, reviewer
):
    client.force_login(reviewer)
    url = page_url("clarification_create", draft, "policy-01")
    response = client.post(url, {"text": "Mohon unggah SK."})
    assert response.status_code == 302
    assert response["Location"].endswith("/policy/#clarification-policy-01")
    typed = "Surel go.id " * 500
    response = client.post(url, {"text": typed})
    assert response.status_code == 400
    content = response.content.decode()
    assert typed.strip() in content
    assert Comment.objects.count() == 1


def test_the_page_refuses_an_empty_comment_and_the_head_opening_a_thread(client, draft, head):
    client.force_login(head)
    url = page_url("clarification_create", draft, "policy-01")
    response = client.post(url, {"text": "Pertanyaan?"}, **HTMX)
    assert response.status_code == 403
    assert "Pertanyaan diajukan oleh penilai" in response.content.decode()
    close = client.post(page_url("clarification_close", draft, "policy-01"), **HTMX)
    assert close.status_code == 409


def test_threads_are_hidden_from_those_who_may_not_see_the_assessment(
    client, draft, indicators, reviewer, katingan, opd_staff
):
    clarifications.ask(draft, indicators["policy-01"], user=reviewer, text="SK?")
    katingan_head = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.ktg")
    for user in (katingan_head, opd_staff):
        client.force_login(user)
        url = page_url("clarification_create", draft, "policy-01")
        assert client.post(url, {"text": "Saya?"}).status_code == 404
        assert client.post(page_url("clarification_close", draft, "policy-01")).status_code == 404
        assert client.get(dimension_url(draft, "policy")).status_code == 404
    assert Comment.objects.count() == 1


def test_the_dimension_page_reads_threads_in_a_fixed_number_of_queries(
    client, in_review, indicators, reviewer, head
):
    client.force_login(head)

    def discuss(rounds):
        for code in ("policy-01", "policy-02"):
            for n in range(rounds):
                comment = clarifications.ask(in_review, indicators[code], user=reviewer, text="?")
                clarifications.reply(comment.thread, user=head, text=f"{n}", file=pdf())
            clarifications.close(comment.thread, user=reviewer)
            clarifications.ask(in_review, indicators[code], user=reviewer, text="Lagi?")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dimension_url(in_review, "policy")).status_code == 200
        return len(captured)

    discuss(1)
    queries()  # the first page after a framework is loaded builds its structure (once)
    few = queries()
    discuss(4)
    assert Comment.objects.count() > 20
    assert queries() == few


# The API.


def test_the_api_asks_answers_with_a_file_lists_and_closes(
    api, in_review, indicators, reviewer, head
):
    url = comments_url(in_review, "policy-01")
    api.force_authenticate(reviewer)
    response = api.post(url, {"text": "Mohon unggah SK."}, format="json")
    assert response.status_code == 201
    asked = response.json()
    assert set(asked) == {"id", "thread", "author", "side", "at", "text", "evidence", "status"}
    assert (asked["author"], asked["side"], asked["status"], asked["evidence"]) == (
        "reviewer",
        "reviewer",
        "open",
        None,
    )

    api.force_authenticate(head)
    response = api.post(url, {"text": "Terlampir.", "file": pdf()}, format="multipart")
    assert response.status_code == 201
    answered = response.json()
    assert answered["thread"] == asked["thread"]
    assert answered["evidence"]["title"] == "sk-tim-spbe.pdf"
    assert answered["evidence"]["url"].startswith("http://testserver/")

    listed = api.get(url).json()
    assert listed["count"] == 2
    assert [c["text"] for c in listed["results"]] == ["Mohon unggah SK.", "Terlampir."]

    response = api.post(url + "close/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["closed_by"]) == ("closed", "kadis.gumas")
    assert api.post(url + "close/").status_code == 409
    assert {c["status"] for c in api.get(url).json()["results"]} == {"closed"}


def test_the_api_refuses_as_the_issue_says(
    api, draft, indicators, reviewer, head, katingan, opd_staff
):
    url = comments_url(draft, "policy-01")
    api.force_authenticate(reviewer)
    response = api.post(url, {"text": "  "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"text": ["Tuliskan pertanyaan atau jawaban Anda."]}
    assert api.post(comments_url(draft, "tidak-ada"), {"text": "A?"}).status_code == 404
    assert api.get(comments_url(draft, "tidak-ada")).status_code == 404

    api.force_authenticate(head)
    response = api.post(url, {"text": "Pertanyaan?"}, format="json")
    assert response.status_code == 403

    katingan_head = user_with_role(Membership.Role.HEAD, region=katingan, username="kadis.ktg")
    for user in (katingan_head, opd_staff):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        assert api.post(url, {"text": "Saya?"}, format="json").status_code == 404
    api.force_authenticate(None)
    assert api.get(url).status_code == 401
    assert not Comment.objects.exists()


def test_the_api_refuses_comments_on_a_final_assessment_but_still_reads_them(
    api, in_review, indicators, reviewer
):
    clarifications.ask(in_review, indicators["policy-01"], user=reviewer, text="SK?")
    finalise(in_review, indicators, reviewer)
    api.force_authenticate(reviewer)
    url = comments_url(in_review, "policy-01")
    assert api.post(url, {"text": "Lagi?"}, format="json").status_code == 409
    assert api.get(url).json()["count"] == 1


def test_the_api_list_takes_a_fixed_number_of_queries(
    api, in_review, indicators, reviewer, head, django_assert_max_num_queries
):
    for n in range(5):
        comment = clarifications.ask(in_review, indicators["policy-01"], user=reviewer, text="?")
        clarifications.reply(comment.thread, user=head, text=f"{n}", file=pdf(f"{n}.pdf"))
    api.force_authenticate(reviewer)
    with django_assert_max_num_queries(8):
        assert api.get(comments_url(in_review, "policy-01")).json()["count"] == 10
