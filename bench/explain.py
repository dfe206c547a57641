"""Look for sequential scans of large tables behind the portal's pages and API endpoints.

Run it against a database filled at national scale (``manage.py generate_national_data`` on
an empty PostgreSQL scratch database), then vacuumed and analysed as autovacuum would have:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_national
    python manage.py migrate && python manage.py generate_national_data
    psql "$DATABASE_URL" -c "VACUUM ANALYZE"
    python bench/explain.py [--json] [--analyze] [--min-rows 10000] [--only LABEL]

For each page or endpoint below, with its common filters and sorts, the script logs in as the
role that uses it, requests it, records every SQL statement with its parameters, asks
PostgreSQL for the plan of each (``EXPLAIN (FORMAT JSON)``) and reports every ``Seq Scan`` of a
table with more than ``--min-rows`` rows (``pg_class.reltuples``). It exits 1 if it found any.

It logs in as the generator's accounts: ``bench.admin``, the reviewer of the first province,
the head and the OPD operator of its first kabupaten/kota. ``--analyze`` runs each statement
once more under ``EXPLAIN ANALYZE`` and reports the database's time per page ("SQL ms").

A scan is accepted, reported but not counted, in two cases:

* it feeds an aggregate (a count, a sum by group) and PostgreSQL expects it to return at least
  a tenth of the table (``WHOLE_SHARE``): the figure needs all those rows whichever way they
  are read, and past about a tenth reading the table in order beats fetching rows one by one
  through an index. These are the national figures of an administrator's pages (the
  catalogue's summary by status, platform and OPD, the incomplete applications per province
  on the home page, the OPD counts of the region list) and the paginators' counts of
  unfiltered national lists;
* its page is in ``DEEP_PAGES``: a page far into a list paged by offset, which reads every row
  before it whatever the index (keyset paging would be the cure, should scripts page through
  the whole inventory often);
* it is in ``HASHED_JOINS``: the OPDs hashed whole (1 to 3 ms) to join a few hundred or
  thousand small-table rows to them by primary key. The key's index is there; the planner,
  with PostgreSQL's default ``random_page_cost`` of 4 (disks that seek), finds one read of
  the table cheaper than that many probes. With 1.1, usual on SSD storage, it probes the
  key for the master plans' programmes; the membership history's region is
  ``COALESCE(region, opd.region)``, which needs the join either way, on a table of one row
  per account change.

Any other scan is counted, and the script fails.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test suite's settings: no secret key to set, and the script signs in without passwords.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov_portal.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from assessments.models import Answer, Assessment, Dimension  # noqa: E402
from opds.models import OPD, Application, Membership  # noqa: E402

# The share of a table above which an aggregate's scan is accepted (module docstring).
WHOLE_SHARE = 0.1
# Pages far into an offset-paged list (module docstring): label → why.
DEEP_PAGES = {
    "applications API, page 40": "offset 19,500 of 27,000 rows: most of the table comes first",
}


# (table, text of a join above the scan, why): see the module's docstring.
HASHED_JOINS = [
    (
        "opds_opd",
        "(opds_opd.id = masterplan_programme.opd_id)",
        "a page of plans' programmes joined to their OPDs by key",
    ),
    (
        "opds_opd",
        "COALESCE(opds_historicalmembership.region_id",
        "the membership history's region, through its OPD",
    ),
]


def accounts():
    """The generator's admin, and the reviewer, head and OPD operator of one region."""
    members = Membership.objects.select_related("user", "region", "opd__region")
    admin = members.get(user__username="bench.admin").user
    reviewing = members.filter(role=Membership.Role.REVIEWER).order_by("region__code").first()
    province = reviewing.region
    heading = members.filter(role=Membership.Role.HEAD, region__parent=province)
    heading = heading.order_by("region__code").first()
    region = heading.region
    operator = members.filter(role=Membership.Role.OPD_STAFF, opd__region=region).first()
    return admin, reviewing.user, heading.user, operator.user, province, region


def cases():
    """(user, url, label) of every page and endpoint checked."""
    admin, reviewer, head, operator, province, region = accounts()
    assessment = Assessment.objects.filter(region=region).order_by("-year").first()
    dimension = Dimension.objects.filter(framework=assessment.framework).order_by("order").first()
    answer = Answer.objects.filter(assessment=assessment).select_related("indicator").first()
    opd = OPD.objects.filter(region=region).order_by("pk").first()
    application = Application.objects.filter(opd__region=region).order_by("pk").first()
    other = Application.objects.order_by("-pk").first()
    a = f"/assessments/{assessment.pk}"
    api_a = f"/api/v1/assessments/{assessment.pk}"
    rows = [
        # Home pages and inboxes.
        (admin, "/", "home (admin)"),
        (reviewer, "/", "home (reviewer)"),
        (head, "/", "home (head)"),
        (admin, "/api/v1/inbox/", "inbox API (admin)"),
        (reviewer, "/api/v1/inbox/", "inbox API (reviewer)"),
        (head, "/api/v1/inbox/", "inbox API (head)"),
        (operator, "/", "home (OPD operator)"),
        (operator, "/api/v1/inbox/", "inbox API (OPD operator)"),
        # Assessments.
        (admin, "/assessments/", "assessment list (admin)"),
        (admin, "/assessments/?year=2024", "assessment list, year"),
        (admin, "/assessments/?year=2024&status=final", "assessment list, year+status"),
        (admin, "/assessments/?status=draft", "assessment list, status"),
        (admin, f"/assessments/?region={region.code}", "assessment list, region"),
        (reviewer, "/assessments/?year=2024", "assessment list (reviewer)"),
        (head, "/assessments/", "assessment list (head)"),
        (head, f"{a}/", "assessment detail"),
        (head, f"{a}/{dimension.code}/", "dimension page"),
        (admin, "/api/v1/assessments/", "assessments API"),
        (admin, "/api/v1/assessments/?page_size=500", "assessments API, 500"),
        (admin, "/api/v1/assessments/?page_size=500&page=5", "assessments API, page 5"),
        (admin, "/api/v1/assessments/?year=2024&status=final", "assessments API, year+status"),
        (admin, f"/api/v1/assessments/?region={region.code}", "assessments API, region"),
        (reviewer, "/api/v1/assessments/?page_size=500", "assessments API (reviewer)"),
        (head, f"{api_a}/", "assessment API detail"),
        (head, f"{api_a}/answers/", "answers API"),
        (head, f"{api_a}/answers/{answer.indicator.code}/", "answer API"),
        (head, f"{api_a}/answers/{answer.indicator.code}/history/", "answer history API"),
        (head, f"{api_a}/answers/{answer.indicator.code}/comments/", "answer comments API"),
        (admin, "/assessments/cycles/", "cycle list"),
        (admin, "/api/v1/cycles/?year=2024", "cycles API"),
        (admin, "/api/v1/frameworks/", "frameworks API"),
        # Application catalogue.
        (admin, "/applications/", "catalogue (admin)"),
        (admin, "/applications/?page=200", "catalogue, page 200"),
        (admin, "/applications/?q=kepegawaian", "catalogue, search"),
        (admin, "/applications/?q=Uji+1234", "catalogue, search common word"),
        (admin, "/applications/?status=active", "catalogue, status"),
        (admin, "/applications/?platform=mobile", "catalogue, platform"),
        (admin, "/applications/?status=inactive&platform=web", "catalogue, status+platform"),
        (admin, f"/applications/?opd={opd.pk}", "catalogue, opd"),
        (admin, f"/applications/?region={region.code}", "catalogue, region"),
        (admin, f"/applications/?region={province.code}", "catalogue, province"),
        (admin, "/applications/?classification=strategis", "catalogue, classification"),
        (admin, "/applications/?hosting=pusat_data_daerah", "catalogue, hosting"),
        (admin, "/applications/?sort=-name", "catalogue, sort -name"),
        (admin, "/applications/?sort=opd", "catalogue, sort opd"),
        (admin, "/applications/?sort=status", "catalogue, sort status"),
        (admin, "/applications/?sort=platform", "catalogue, sort platform"),
        (admin, "/applications/?sort=-year_built", "catalogue, sort -year_built"),
        (admin, "/applications/?sort=-changed_at", "catalogue, sort -changed_at"),
        (admin, "/applications/?status=active&sort=-changed_at", "catalogue, status+changed"),
        (reviewer, "/applications/", "catalogue (reviewer)"),
        (reviewer, "/applications/?sort=-changed_at", "catalogue (reviewer), changed"),
        (head, "/applications/", "catalogue (head)"),
        (operator, "/applications/", "catalogue (OPD operator)"),
        (head, f"/applications/{application.pk}/", "application detail"),
        (admin, f"/applications/{other.pk}/", "application detail (admin)"),
        (admin, "/api/v1/applications/", "applications API"),
        (admin, "/api/v1/applications/?page_size=500", "applications API, 500"),
        (admin, "/api/v1/applications/?page_size=500&page=40", "applications API, page 40"),
        (admin, "/api/v1/applications/?status=active", "applications API, status"),
        (admin, "/api/v1/applications/?platform=web&page_size=500", "applications API, platform"),
        (admin, f"/api/v1/applications/?opd={opd.pk}", "applications API, opd"),
        (admin, f"/api/v1/applications/?region={region.code}", "applications API, region"),
        (admin, "/api/v1/applications/?search=kepegawaian", "applications API, search"),
        (reviewer, "/api/v1/applications/?page_size=500", "applications API (reviewer)"),
        (admin, f"/api/v1/applications/{application.pk}/", "application API detail"),
        (admin, f"/api/v1/applications/{application.pk}/history/", "application history API"),
        # Regions and OPDs.
        (admin, "/regions/", "region list"),
        (admin, f"/regions/{region.code}/", "region detail"),
        (admin, "/opds/", "OPD list (admin)"),
        (admin, "/opds/?page=100", "OPD list, page 100"),
        (admin, "/opds/?q=DU12", "OPD list, search"),
        (admin, f"/opds/?region={region.code}", "OPD list, region"),
        (admin, "/opds/?include_inactive=on", "OPD list, inactive too"),
        (reviewer, "/opds/", "OPD list (reviewer)"),
        (admin, "/api/v1/regions/?kind=regency", "regions API"),
        (admin, f"/api/v1/regions/?parent={province.code}", "regions API, parent"),
        (admin, "/api/v1/opds/", "OPDs API"),
        (admin, "/api/v1/opds/?page_size=500&page=20", "OPDs API, page 20"),
        (admin, f"/api/v1/opds/?region={region.code}", "OPDs API, region"),
        (admin, "/api/v1/opds/?active=true&page_size=500", "OPDs API, active"),
        (admin, "/api/v1/opds/?search=DU12", "OPDs API, search"),
        # Rankings and reports.
        (admin, "/reports/ranking/", "national ranking"),
        (admin, "/reports/ranking/?year=2022&sort=name", "national ranking, 2022 by name"),
        (reviewer, "/reports/ranking/", "national ranking (reviewer)"),
        (reviewer, f"/reports/provinces/{province.code}/ranking/?year=2024", "ranking page"),
        (admin, f"/reports/provinces/{province.code}/ranking/?year=2020", "ranking page 2020"),
        (reviewer, "/api/v1/rankings/?year=2024", "rankings API"),
        (admin, f"/api/v1/rankings/?year=2024&province={province.code}", "rankings API, prov"),
        (head, f"/reports/regions/{region.code}/?year=2024", "region dashboard"),
        (head, f"/reports/regions/{region.code}/", "region dashboard, this year"),
        (head, f"/reports/regions/{region.code}/compare/?from=2019&to=2024", "region compare"),
        (head, f"/api/v1/regions/{region.code}/compare/?from=2019&to=2024", "compare API"),
        # Master plans.
        (admin, "/masterplans/", "master plan list"),
        (admin, "/masterplans/?status=draft", "master plan list, status"),
        (head, "/masterplans/", "master plan list (head)"),
        (admin, "/api/v1/masterplans/", "master plans API"),
        # History.
        (admin, "/history/", "history log"),
        (admin, "/history/?page=50", "history log, page 50"),
        (admin, f"/history/?region={region.code}", "history log, region"),
        (admin, f"/history/?region={province.code}", "history log, province"),
        (admin, "/history/?kind=application", "history log, applications"),
        (admin, f"/history/?user={head.username}", "history log, user"),
        (admin, "/history/?since=2024-01-01", "history log, since"),
        (admin, "/history/?since=2019-01-01&until=2019-12-31", "history log, one year"),
        # Notifications.
        (head, "/notifications/", "notifications"),
    ]
    return rows + masterplan_cases(admin)


def masterplan_cases(admin):
    from masterplan.models import MasterPlan

    plan = MasterPlan.objects.order_by("pk").first()
    if plan is None:
        return []
    return [(admin, f"/masterplans/{plan.pk}/", "master plan detail")]


class Recorder:
    """An execute wrapper keeping each statement with its raw parameters."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.statements.append((sql, params))
        return execute(sql, params, many, context)


def large_tables(min_rows):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [min_rows],
        )
        return dict(cursor.fetchall())


def seq_scans(plan, aggregated=False, joins=""):
    """Every Seq Scan node of a plan tree, with whether an aggregate reads its rows and the
    conditions of the joins above it."""
    if plan.get("Node Type") == "Seq Scan":
        yield plan, aggregated, joins
    aggregated = aggregated or plan.get("Node Type") == "Aggregate"
    if "Join" in plan.get("Node Type", ""):
        joins += " ".join(plan.get(key, "") for key in ("Hash Cond", "Join Filter", "Filter"))
    for child in plan.get("Plans", []):
        yield from seq_scans(child, aggregated, joins)


def explain(sql, params, analyze=False):
    """The plan of a statement, and the time it took to run (ms) when ``analyze``."""
    options = "ANALYZE, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) " + sql, params)
        (value,) = cursor.fetchone()
    (plan,) = value if isinstance(value, list) else json.loads(value)
    return plan["Plan"], plan.get("Execution Time", 0.0)


def shown(sql, params):
    """The statement with its parameters in place, for reading (not for running)."""
    try:
        shown_params = tuple(repr(str(p)) if isinstance(p, str) else repr(p) for p in params)
        return sql % shown_params if params else sql
    except (TypeError, ValueError):
        return f"{sql} -- {params!r}"


def accepted(label, node, aggregated, joins, table_rows):
    """Why a scan is fine (see the module's docstring), or "" if it is not."""
    if label in DEEP_PAGES:
        return DEEP_PAGES[label]
    for table, join, why in HASHED_JOINS:
        if node.get("Relation Name") == table and join in joins:
            return why
    if aggregated and node.get("Plan Rows", 0) >= WHOLE_SHARE * table_rows:
        return "aggregate over most of the table"
    return ""


def check(user, url, label, large, analyze=False):
    client = Client()
    client.force_login(user)
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    found = []
    sql_ms = 0.0
    for sql, params in recorder.statements:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head not in {"SELECT", "WITH", "(SELECT"} and not sql.lstrip().startswith("("):
            continue
        plan, ms = explain(sql, params, analyze)
        sql_ms += ms
        for node, aggregated, joins in seq_scans(plan):
            table = node.get("Relation Name")
            if table in large:
                node = {k: v for k, v in node.items() if k != "Plans"}
                found.append(
                    {
                        "page": label,
                        "url": url,
                        "table": table,
                        "rows": int(large[table]),
                        "filter": node.get("Filter", ""),
                        "node": node,
                        "ms": ms,
                        "sql": shown(sql, params),
                        "accepted": accepted(label, node, aggregated, joins, large[table]),
                    }
                )
    return {
        "page": label,
        "url": url,
        "status": response.status_code,
        "ms": round(elapsed),
        "queries": len(recorder.statements),
        "sql_ms": round(sql_ms, 1),
        "scans": found,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--min-rows", type=int, default=10_000)
    parser.add_argument(
        "--analyze", action="store_true", help="run each statement again to time it (SQL ms)"
    )
    parser.add_argument("--only", help="check only the pages whose label contains this")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN plans are read from PostgreSQL: set DATABASE_URL to a PG database.")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    large = large_tables(args.min_rows)
    results = []
    for user, url, label in cases():
        if args.only and args.only not in label:
            continue
        results.append(check(user, url, label, large, args.analyze))
    failing = [s for r in results for s in r["scans"] if not s["accepted"]]
    if args.json:
        json.dump({"large_tables": large, "pages": results}, sys.stdout, indent=2, default=str)
        print()
    else:
        report(results, large)
    sys.exit(1 if failing else 0)


def report(results, large):
    print("Large tables: " + ", ".join(f"{t} ({int(n):,})" for t, n in sorted(large.items())))
    print(f"\n{'page':<40} {'status':>6} {'ms':>6} {'SQL ms':>7} {'queries':>8} {'scans':>6}")
    for r in results:
        print(
            f"{r['page']:<40} {r['status']:>6} {r['ms']:>6} {r['sql_ms']:>7} {r['queries']:>8} "
            f"{len(r['scans']):>6}"
        )
    for r in results:
        for scan in r["scans"]:
            mark = f"ACCEPTED ({scan['accepted']}) " if scan["accepted"] else ""
            print(
                f"\n{mark}Seq Scan on {scan['table']} ({scan['rows']:,} rows): {r['page']}"
                + (f", statement {scan['ms']:.1f} ms" if scan["ms"] else "")
            )
            print(f"  {r['url']}")
            if scan["filter"]:
                print(f"  Filter: {scan['filter']}")
            print(f"  {scan['sql'][:600]}")
    bad = sum(1 for r in results for s in r["scans"] if not s["accepted"])
    print(f"\n{bad} sequential scan(s) of large tables" + (" to fix." if bad else "."))


if __name__ == "__main__":
    main()
