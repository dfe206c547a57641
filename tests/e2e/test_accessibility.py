"""Every role's main pages pass axe-core's WCAG 2.1 AA rules without a serious or critical finding.

axe-core (tests/e2e/vendor/axe-core, a test tool that is never served) is added to each page as
an init script: Chromium runs init scripts outside the page's Content-Security-Policy, so the
policy the portal really sends stays in force while the pages are checked.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment, Cycle
from masterplan.models import MasterPlan
from opds.models import Application
from tests.e2e.conftest import log_in

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TABLET = 768

RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter((rule) => rule.impact === "serious" || rule.impact === "critical")
    .map((rule) => ({
      id: rule.id,
      impact: rule.impact,
      help: rule.help,
      nodes: rule.nodes.map((node) => ({target: node.target.join(" "), why: node.failureSummary})),
    }));
}"""


def gunung_mas_pages():
    """The records the demo roles work on: Gunung Mas's assessments, an application, a plan."""
    draft = Assessment.objects.get(region__code="62.10", year=2020)
    final = Assessment.objects.get(region__code="62.10", year=2019)
    submitted = Assessment.objects.get(region__code="62.71", year=2020)
    application = Application.objects.filter(
        opd__region__code="62.10", opd__short_name="Diskominfo,SP"
    ).first()
    plan = MasterPlan.objects.filter(region__code="62.10").order_by("-start_year").first()
    programme = plan.programmes.first()
    cycle = Cycle.objects.get(province__code="62", year=2020)
    return {
        "home": reverse("opds:home"),
        "assessments": reverse("assessments:assessment_list"),
        "draft": draft.get_absolute_url(),
        "draft-policy": reverse(
            "assessments:assessment_dimension", kwargs={"pk": draft.pk, "dimension": "policy"}
        ),
        "final": final.get_absolute_url(),
        "final-applications": reverse(
            "assessments:assessment_dimension",
            kwargs={"pk": final.pk, "dimension": "applications"},
        ),
        "final-history": reverse(
            "assessments:answer_history", kwargs={"pk": final.pk, "indicator": "policy-01"}
        ),
        "submitted": submitted.get_absolute_url(),
        "submitted-policy": reverse(
            "assessments:assessment_dimension",
            kwargs={"pk": submitted.pk, "dimension": "policy"},
        ),
        "assessment-new": reverse("assessments:assessment_create"),
        "cycles": reverse("assessments:cycle_list"),
        "cycle-edit": reverse("assessments:cycle_update", kwargs={"pk": cycle.pk}),
        "extension-new": reverse("assessments:extension_create", kwargs={"pk": cycle.pk}),
        "ranking": reverse("reports:province_ranking", kwargs={"code": "62"}),
        "dashboard": reverse("reports:region_dashboard", kwargs={"code": "62.10"}),
        "regions": reverse("opds:region_list"),
        "region": reverse("opds:region_detail", kwargs={"code": "62.10"}),
        "opds": reverse("opds:opd_list"),
        "catalogue": reverse("opds:application_list"),
        "application": application.get_absolute_url(),
        "application-edit": reverse("opds:application_update", kwargs={"pk": application.pk}),
        "application-new": reverse("opds:application_create"),
        "import": reverse("opds:application_import"),
        "plans": reverse("masterplan:masterplan_list"),
        "plan": plan.get_absolute_url(),
        "plan-edit": reverse("masterplan:masterplan_edit", kwargs={"pk": plan.pk}),
        "plan-review": reverse("masterplan:masterplan_review", kwargs={"pk": plan.pk}),
        "programme": reverse(
            "masterplan:programme_detail", kwargs={"plan_pk": plan.pk, "pk": programme.pk}
        ),
        "notifications": reverse("notifications:notification_list"),
        "preferences": reverse("notifications:preferences"),
        "history": reverse("opds:history_log"),
    }


# Each role's main pages, by the names above; "@768" checks the page at a tablet's width too.
ROLE_PAGES = {
    "admin": [
        "home",
        "assessments",
        "final",
        "final-applications",
        "final-history",
        "ranking@768",
        "dashboard",
        "regions",
        "catalogue",
        "application",
        "import",
        "plans",
        "notifications",
        "cycles",
        "history",
    ],
    "reviewer": [
        "home@768",
        "assessments",
        "submitted",
        "submitted-policy",
        "draft-policy@768",
        "ranking",
        "dashboard",
        "region",
        "assessment-new",
        "cycles",
        "cycle-edit",
        "extension-new",
        "plans",
        "plan",
        "plan-review",
        "notifications",
        "preferences",
    ],
    "kadis.gumas": [
        "home",
        "assessments",
        "draft",
        "draft-policy",
        "dashboard@768",
        "region",
        "opds",
        "catalogue",
        "plan",
        "plan-edit",
        "programme",
        "notifications",
    ],
    "opd.kominfo": [
        "home",
        "catalogue@768",
        "application",
        "application-edit",
        "application-new",
        "import",
        "notifications",
    ],
}


IMPORT_CSV = """OPD pemilik,Nama aplikasi,Status
"Diskominfo,SP",Portal Resmi Gunung Mas,inactive
"Diskominfo,SP",Antrean Daring,active
"Diskominfo,SP",LAPOR Gumas,active
Disdukcapil,SIAK Gunung Mas,inactive
"""

# What a reader can unfold is checked unfolded: every <details> and, on a narrow screen, the
# collapsed main menu.
UNFOLD = """() => {
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  document.getElementById("main-nav")?.classList.add("show");
}"""


def serious_findings(page):
    page.evaluate(UNFOLD)
    return [
        f"{rule['impact']} {rule['id']}: {rule['help']}\n"
        + "\n".join(f"    {node['target']}\n      {node['why']}" for node in rule["nodes"])
        for rule in page.evaluate(RUN_AXE)
    ]


def check(page, label, url, widths, found, *, status=200):
    response = page.goto(url)
    assert response.status == status, f"{label}: {url} answered {response.status}"
    assert "content-security-policy" in response.headers
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        found.extend(f"{label} {url} at {width}px: {text}" for text in serious_findings(page))
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def axe_page(browser, live_server):
    """A fresh browser context with axe-core loaded into every page it opens."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="id-ID")
        context.add_init_script(path=AXE)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.set_viewport_size({"width": 1280, "height": 900})
        return page

    yield open_page
    for context in contexts:
        context.close()


# The element that has the keyboard focus: its outline and the colour behind the outline (the
# first opaque background among its ancestors).
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  let around = element.parentElement;
  let background = "rgb(255, 255, 255)";
  for (; around; around = around.parentElement) {
    const colour = getComputedStyle(around).backgroundColor;
    if (!colour.startsWith("rgba") || colour.endsWith(", 1)")) { background = colour; break; }
  }
  return {
    element: element.outerHTML.slice(0, 120),
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: style.outlineColor,
    background,
  };
}"""


def luminance(css_colour):
    red, green, blue = (int(part) / 255 for part in re.findall(r"[\d.]+", css_colour)[:3])
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def weak_focus(page, label, *, stops=150):
    """Tab through the page; every stop whose outline is missing, thin or under 3:1."""
    found, seen = [], set()
    for _stop in range(stops):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["element"] in seen:
            break
        seen.add(focused["element"])
        ratio = contrast(focused["colour"], focused["background"])
        if focused["style"] == "none" or focused["width"] < 2 or ratio < 3:
            found.append(
                f"{label}: {focused['element']}\n    outline {focused['style']} "
                f"{focused['width']}px {focused['colour']} on {focused['background']} "
                f"({ratio:.2f}:1)"
            )
    assert len(seen) > 10, f"{label}: the keyboard reached only {len(seen)} elements"
    return found


def issued_code():
    """The verification code of a report the portal really issued (Gunung Mas, 2019)."""
    client = Client()
    client.force_login(User.objects.get(username="reviewer"))
    response = client.get(reverse("reports:region_report", kwargs={"code": "62.10", "year": 2019}))
    assert response.status_code == 200
    return response["X-Verification-Code"]


def report(found):
    return f"{len(found)} serious or critical accessibility findings:\n\n" + "\n\n".join(found)


def test_the_pages_without_an_account_pass_the_accessibility_rules(axe_page, demo_data):
    page = axe_page()
    found = []
    check(page, "anonymous", reverse("login"), (1280, TABLET), found)
    verify = reverse("reports:verify")
    check(page, "anonymous", verify, (1280,), found)
    check(page, "anonymous", f"{verify}?code={issued_code()}", (1280,), found)
    check(page, "anonymous", f"{verify}?code=not-a-code", (1280,), found, status=400)
    check(page, "anonymous", "/no-such-page/", (1280,), found, status=404)
    # A wrong password shows the form again with its error.
    page.goto(reverse("login"))
    page.get_by_label("Nama pengguna").fill("reviewer")
    page.get_by_label("Sandi").fill("not the password")
    page.get_by_role("button", name="Masuk").click()
    page.locator(".alert-danger").first.wait_for()
    found.extend(f"anonymous failed login: {text}" for text in serious_findings(page))
    assert not found, report(found)


@pytest.mark.parametrize("username", list(ROLE_PAGES))
def test_each_roles_main_pages_pass_the_accessibility_rules(axe_page, demo_data, username):
    urls = gunung_mas_pages()
    page = axe_page()
    log_in(page, username, demo_data)
    found = []
    for entry in ROLE_PAGES[username]:
        name, _at, width = entry.partition("@")
        widths = (1280, int(width)) if width else (1280,)
        check(page, username, urls[name], widths, found)
    assert not found, report(found)


def test_refusals_and_forms_showing_their_errors_pass_the_accessibility_rules(axe_page, demo_data):
    urls = gunung_mas_pages()
    found = []
    operator = axe_page()
    log_in(operator, "opd.kominfo", demo_data)
    others = Application.objects.filter(opd__region__code="62.10", opd__short_name="Disdukcapil")
    refused = reverse("opds:application_update", kwargs={"pk": others.first().pk})
    check(operator, "opd.kominfo", refused, (1280,), found, status=403)
    operator.goto(urls["application-new"])
    operator.get_by_role("button", name="Simpan").click()
    operator.locator(".invalid-feedback").first.wait_for()
    found.extend(f"application form with errors: {text}" for text in serious_findings(operator))

    # An import preview with every kind of row: an update, a new record, one unchanged and
    # one refused (another OPD's application).
    operator.goto(urls["import"])
    operator.get_by_label("Berkas CSV atau XLSX").set_input_files(
        {"name": "katalog.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    operator.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    operator.get_by_test_id("import-preview").wait_for()
    found.extend(f"import preview: {text}" for text in serious_findings(operator))

    head = axe_page()
    log_in(head, "kadis.gumas", demo_data)
    head.goto(urls["draft-policy"])
    card = head.locator("#indicator-policy-01")
    card.get_by_label("Level mandiri 2").check()
    card.get_by_role("button", name="Simpan indikator").click()
    card.get_by_text("Tersimpan.").wait_for()
    found.extend(f"indicator saved by htmx: {text}" for text in serious_findings(head))
    assert not found, report(found)


def test_the_keyboard_focus_is_drawn_at_3_to_1_or_more(axe_page, demo_data):
    urls = gunung_mas_pages()
    found = []
    head = axe_page()
    log_in(head, "kadis.gumas", demo_data)
    head.goto(urls["draft-policy"])
    found += weak_focus(head, "indicator forms")
    operator = axe_page()
    log_in(operator, "opd.kominfo", demo_data)
    operator.goto(urls["catalogue"])
    found += weak_focus(operator, "catalogue")
    operator.set_viewport_size({"width": TABLET, "height": 900})
    operator.goto(urls["application-edit"])
    found += weak_focus(operator, f"application form at {TABLET}px")
    assert not found, "Keyboard focus hard to see:\n" + "\n".join(found)
