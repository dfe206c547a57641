"""The load test's client (bench/load.py) against the live server for a moment: it finds its
work in the demo data, meets real conflicts, and its check of acknowledged saves passes."""

import importlib.util
import json
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from assessments.models import Answer
from opds.models import Application


def load_client():
    path = settings.BASE_DIR / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("bench_load", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db(transaction=True)
def test_the_load_client_runs_against_the_demo_and_its_saves_are_all_kept(
    live_server, tmp_path, settings, capsys
):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    results = tmp_path / "load.json"
    load = load_client()

    status = load.main(
        ["--url", live_server.url, "--seconds", "3", "--workers", "2", "--objects", "2"]
        + ["--json", str(results)]
    )

    report = json.loads(results.read_text())
    assert status == 0, capsys.readouterr().out
    kinds = report["kinds"]
    # Each thread makes its loop's first requests however slow the machine (the PDF comes after
    # the dashboard, so it may not fit in).
    assert all(kinds[kind]["ok"] > 0 for kind in kinds if kind != "head_pdf")
    assert report["check"]["problems"] == []
    assert report["check"]["saves"] == kinds["review_save"]["ok"] + kinds["opd_save"]["ok"]
    saved = Answer.objects.filter(reason__startswith="load r").count()
    assert 0 < saved <= 2
    assert Application.objects.filter(description__startswith="Uji beban o").count() <= 2
    assert "| reviewer saves a verified level (API) |" in capsys.readouterr().out
