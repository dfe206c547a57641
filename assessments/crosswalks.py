"""Crosswalks as data: which dimension of another framework each indicator counts towards.

A crosswalk file (JSON, described in ``assessments/frameworks/README.md``) names a source and a
target framework, both already loaded, and maps every indicator of the source to one dimension
of the target. The file is checked as a whole against the loaded frameworks first; every
problem is listed and nothing is loaded. Loading is idempotent: the crosswalk is matched by
its two frameworks and its entries are updated in place.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery

from assessments.cycles import latest_framework
from assessments.loader import FrameworkFileError, read_framework_file
from assessments.models import Crosswalk, CrosswalkEntry, Dimension, Framework, Indicator

CROSSWALKS_DIR = Path(__file__).resolve().parent / "frameworks" / "crosswalks"


def reference_first(crosswalks):
    """``crosswalks`` (a queryset) ordered by how many crosswalks map to each one's target, most
    first, then by the target's code: the first leads to the reference framework."""
    sharing = (
        Crosswalk.objects.filter(target=OuterRef("target"))
        .order_by()
        .values("target")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return crosswalks.annotate(sharing=Subquery(sharing)).order_by("-sharing", "target__code")


def reference_target() -> Subquery:
    """The reference framework's id as a subquery: the target of the first crosswalk in
    ``reference_first``, so that a query can keep to crosswalks onto it."""
    return Subquery(reference_first(Crosswalk.objects.all()).values("target")[:1])


def reference_framework() -> Framework | None:
    """The framework assessments of different frameworks are compared and charted on: the one
    the loaded crosswalks map to (most of them, on a choice); without a crosswalk, the newest in
    use (``cycles.latest_framework``); None without either. One or two queries."""
    crosswalk = reference_first(Crosswalk.objects.select_related("target")).first()
    return crosswalk.target if crosswalk is not None else latest_framework()


def validate_crosswalk(data) -> list[str]:
    """Every problem in a crosswalk document, checked against the loaded frameworks."""
    if not isinstance(data, dict):
        return ["(top): a JSON object is required"]
    problems: list[str] = []
    frameworks = {}
    for key in ("source", "target"):
        code = data.get(key)
        framework = Framework.objects.filter(code=code).first() if isinstance(code, str) else None
        if framework is None:
            problems.append(f"crosswalk.{key}: no loaded framework has the code {code!r}")
        frameworks[key] = framework
    source, target = frameworks["source"], frameworks["target"]
    if source is not None and source == target:
        problems.append("crosswalk.target: must be another framework than the source")
    if not isinstance(data.get("version"), str) or not data["version"].strip():
        problems.append("crosswalk.version: required text")
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries:
        return [*problems, "crosswalk.entries: at least one entry is required"]
    indicators = (
        set(Indicator.objects.filter(dimension__framework=source).values_list("code", flat=True))
        if source
        else set()
    )
    dimensions = (
        set(Dimension.objects.filter(framework=target).values_list("code", flat=True))
        if target
        else set()
    )
    seen = {}
    for i, entry in enumerate(entries):
        where = f"entries[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object")
            continue
        indicator, dimension = entry.get("indicator"), entry.get("dimension")
        if indicator in seen:
            problems.append(f"{where}.indicator: {indicator!r} is also mapped at {seen[indicator]}")
        elif isinstance(indicator, str):
            seen[indicator] = where
        if source and indicator not in indicators:
            problems.append(f"{where}.indicator: {source.code} has no indicator {indicator!r}")
        if target and dimension not in dimensions:
            problems.append(f"{where}.dimension: {target.code} has no dimension {dimension!r}")
    if source:
        for code in sorted(indicators - set(seen)):
            problems.append(f"crosswalk.entries: indicator {code!r} is not mapped")
    return problems


@transaction.atomic
def load_crosswalk(data: dict) -> Crosswalk:
    """Create or update the crosswalk a valid document describes; all or nothing.

    Raises FrameworkFileError listing every problem, with nothing loaded.
    """
    problems = validate_crosswalk(data)
    if problems:
        raise FrameworkFileError(problems)
    source = Framework.objects.get(code=data["source"])
    target = Framework.objects.get(code=data["target"])
    crosswalk, _ = Crosswalk.objects.update_or_create(
        source=source,
        target=target,
        defaults={
            "version": data["version"].strip(),
            "description": (data.get("description") or "").strip(),
        },
    )
    indicators = {i.code: i for i in Indicator.objects.filter(dimension__framework=source)}
    dimensions = {d.code: d for d in Dimension.objects.filter(framework=target)}
    for entry in data["entries"]:
        CrosswalkEntry.objects.update_or_create(
            crosswalk=crosswalk,
            indicator=indicators[entry["indicator"]],
            defaults={"dimension": dimensions[entry["dimension"]]},
        )
    return crosswalk


def load_crosswalk_file(path: Path | str) -> Crosswalk:
    return load_crosswalk(read_framework_file(path))
