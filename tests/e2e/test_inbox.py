import re

from playwright.sync_api import expect

from tests.e2e.conftest import log_in


def test_a_head_follows_the_most_urgent_item_of_the_inbox(page, demo_data):
    log_in(page, "kadis.gumas", demo_data)
    inbox = page.get_by_test_id("inbox")
    # The current cycle is 2021's, whose evaluation of Gunung Mas is final; the 2020 draft, every
    # indicator filled in, is still to submit, past its extended deadline of 30 October 2020.
    first = inbox.locator("li").first
    expect(first).to_have_attribute("data-kind", "assessment_submit")
    expect(first).to_contain_text("Gunung Mas 2020")
    expect(first).to_contain_text("Lewat tenggat")
    expect(first).to_contain_text("30 Okt 2020")
    question = inbox.locator('[data-kind="clarification_question"]')
    expect(question).to_contain_text("Gunung Mas 2020")
    expect(question).to_contain_text("20 Okt 2020")
    plan = inbox.locator('[data-kind="realisation_missing"]').first
    expect(plan).to_contain_text("Menunggu")
    plan.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/masterplans/\d+/$"))
    expect(page.get_by_test_id("plan-status")).to_have_text("Berlaku")


def test_a_reviewer_sees_the_earlier_years_submission_late_and_first(page, demo_data):
    log_in(page, "reviewer", demo_data)
    first = page.get_by_test_id("inbox").locator("li").first
    # Palangka Raya's 2020 self-assessment waits for a verification due by 27 November 2020.
    expect(first).to_have_attribute("data-kind", "assessment_submitted")
    expect(first).to_contain_text("Palangka Raya 2020")
    expect(first).to_contain_text("Lewat tenggat")
    expect(first).to_contain_text("27 Nov 2020")


def test_an_operator_opens_their_incomplete_record_from_the_inbox(page, demo_data):
    log_in(page, "opd.kominfo", demo_data)
    item = page.locator('[data-kind="application_incomplete"]').first
    expect(item).to_contain_text("Belum diisi")
    item.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/$"))
    expect(page.get_by_role("button", name="Simpan")).to_be_visible()
