"""Frameworks as data: validate a framework file as a whole, then load it idempotently.

The file format (JSON) is described in ``assessments/frameworks/README.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError

from assessments.models import (
    Aggregation,
    Aspect,
    Assessment,
    Dimension,
    Framework,
    Indicator,
    Level,
    RatingBand,
)

FRAMEWORKS_DIR = Path(__file__).resolve().parent / "frameworks"
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class FrameworkFileError(ValidationError):
    """A framework file that cannot be loaded; ``messages`` lists every problem found."""


def load_or_fail(load, file, stderr):
    """``load(file)`` for a management command: a file with problems lists each on ``stderr``
    and fails the command, loading nothing."""
    from django.core.management.base import CommandError

    try:
        return load(file)
    except FrameworkFileError as error:
        for message in error.messages:
            stderr.write(f"  {message}")
        raise CommandError(
            f"{file}: {len(error.messages)} problem(s) found; nothing was loaded."
        ) from error


def read_framework_file(path: Path | str) -> dict:
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise FrameworkFileError([f"{path}: file not found"]) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FrameworkFileError([f"{path}: not valid JSON ({error})"]) from error


def _positive(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def validate_framework(data) -> list[str]:
    """Every problem in a framework document, each with its location; empty when valid."""
    problems: list[str] = []

    def need_text(obj, key, where):
        if not isinstance(obj.get(key), str) or not obj[key].strip():
            problems.append(f"{where}.{key}: required text")

    def need_code(obj, where):
        code = obj.get("code")
        if not isinstance(code, str) or not SLUG.match(code):
            problems.append(f"{where}.code: required, letters, digits, '-' or '_' only")
            return None
        return code

    def check_lengths(obj, where, model):
        # Every text is stored in a field of limited length; a longer one is a problem of the
        # file, reported with the others, not a database error half way through loading.
        for field in model._meta.concrete_fields:
            value = obj.get(field.name)
            if (
                field.max_length
                and isinstance(value, str)
                and len(value.strip()) > field.max_length
            ):
                problems.append(
                    f"{where}.{field.name}: {len(value.strip())} characters, "
                    f"at most {field.max_length}"
                )

    def need_weight(obj, where):
        if _positive(obj.get("weight")) is None:
            problems.append(f"{where}.weight: must be a positive number, got {obj.get('weight')!r}")

    def check_sum(group, members, where):
        # A pooled score weighs indicators only; a group's weight is what its indicators
        # weigh together, so a weight that is not their sum is a mistake in the file.
        weight = _positive(group.get("weight"))
        parts = [_positive(m.get("weight")) for m in members or [] if isinstance(m, dict)]
        if weight is None or not parts or None in parts:
            return
        if sum(parts) != weight:
            problems.append(
                f"{where}.weight: {weight} is not the sum of its parts' weights ({sum(parts)}), "
                "as a pooled framework needs"
            )

    if not isinstance(data, dict):
        return ["(top): a JSON object is required"]
    need_code(data, "framework")
    need_text(data, "name", "framework")
    need_text(data, "version", "framework")
    check_lengths(data, "framework", Framework)
    scale = data.get("scale") or {}
    low, high = scale.get("min"), scale.get("max")
    if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
        problems.append("framework.scale: needs integer min < max (for example 1 and 4)")
        low = high = None

    bands = data.get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append("framework.bands: at least one rating band is required")
        bands = []
    minimums = []
    for i, band in enumerate(bands):
        where = f"bands[{i}]"
        if not isinstance(band, dict):
            problems.append(f"{where}: must be an object")
            continue
        need_text(band, "name", where)
        check_lengths(band, where, RatingBand)
        color = band.get("color", "")
        if color and not (isinstance(color, str) and COLOR.match(color)):
            problems.append(f"{where}.color: {color!r} is not a colour written #rrggbb")
        try:
            minimum = Decimal(str(band.get("min")))
        except (InvalidOperation, ValueError):
            problems.append(f"{where}.min: must be a number")
            continue
        if low is not None and not low <= minimum <= high:
            problems.append(f"{where}.min: {minimum} is outside the scale {low}–{high}")
        if minimum in minimums:
            problems.append(f"{where}.min: {minimum} is used by another band")
        minimums.append(minimum)
    if low is not None and minimums and min(minimums) > low:
        problems.append(f"framework.bands: the lowest band must start at the scale minimum {low}")

    aggregation = data.get("aggregation", Aggregation.GROUPED)
    if aggregation not in Aggregation.values:
        problems.append(
            f"framework.aggregation: {aggregation!r} is not one of {', '.join(Aggregation.values)}"
        )

    dimensions = data.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        problems.append("framework.dimensions: at least one dimension is required")
        dimensions = []
    dimension_codes, indicator_codes = set(), {}

    def check_indicators(indicators, where):
        if not isinstance(indicators, list) or not indicators:
            problems.append(f"{where}.indicators: at least one indicator is required")
            return
        for k, indicator in enumerate(indicators):
            at = f"{where}.indicators[{k}]"
            if not isinstance(indicator, dict):
                problems.append(f"{at}: must be an object")
                continue
            code = need_code(indicator, at)
            if code in indicator_codes:
                problems.append(f"{at}.code: '{code}' is also used at {indicator_codes[code]}")
            elif code:
                indicator_codes[code] = at
            need_text(indicator, "name", at)
            check_lengths(indicator, at, Indicator)
            need_weight(indicator, at)
            levels = indicator.get("levels")
            if not isinstance(levels, list):
                problems.append(f"{at}.levels: a list with a descriptor per level is required")
                continue
            seen = set()
            for m, level in enumerate(levels):
                if not isinstance(level, dict) or not isinstance(level.get("level"), int):
                    problems.append(f"{at}.levels[{m}]: needs an integer 'level'")
                    continue
                need_text(level, "descriptor", f"{at}.levels[{m}]")
                check_lengths(level, f"{at}.levels[{m}]", Level)
                if level["level"] in seen:
                    problems.append(f"{at}.levels[{m}]: level {level['level']} appears twice")
                seen.add(level["level"])
            if low is not None:
                expected = set(range(low, high + 1))
                for missing in sorted(expected - seen):
                    problems.append(f"{at}.levels: no descriptor for level {missing}")
                for extra in sorted(seen - expected):
                    problems.append(f"{at}.levels: level {extra} is outside the scale {low}–{high}")

    for i, dimension in enumerate(dimensions):
        where = f"dimensions[{i}]"
        if not isinstance(dimension, dict):
            problems.append(f"{where}: must be an object")
            continue
        code = need_code(dimension, where)
        if code in dimension_codes:
            problems.append(f"{where}.code: '{code}' appears twice")
        dimension_codes.add(code)
        need_text(dimension, "name", where)
        check_lengths(dimension, where, Dimension)
        need_weight(dimension, where)
        has_aspects, has_indicators = "aspects" in dimension, "indicators" in dimension
        if has_aspects == has_indicators:
            problems.append(f"{where}: give either 'indicators' or 'aspects', not both or neither")
            continue
        if has_indicators:
            check_indicators(dimension["indicators"], where)
            if aggregation == Aggregation.POOLED:
                check_sum(dimension, dimension["indicators"], where)
            continue
        aspects = dimension["aspects"]
        if not isinstance(aspects, list) or not aspects:
            problems.append(f"{where}.aspects: at least one aspect is required")
            continue
        aspect_codes = set()
        for j, aspect in enumerate(aspects):
            at = f"{where}.aspects[{j}]"
            if not isinstance(aspect, dict):
                problems.append(f"{at}: must be an object")
                continue
            aspect_code = need_code(aspect, at)
            if aspect_code in aspect_codes:
                problems.append(f"{at}.code: '{aspect_code}' appears twice in {where}")
            aspect_codes.add(aspect_code)
            need_text(aspect, "name", at)
            check_lengths(aspect, at, Aspect)
            need_weight(aspect, at)
            check_indicators(aspect.get("indicators"), at)
            if aggregation == Aggregation.POOLED:
                check_sum(aspect, aspect.get("indicators"), at)
        if aggregation == Aggregation.POOLED:
            check_sum(dimension, aspects, where)
    return problems


def load_framework(data: dict) -> Framework:
    """Create or update the framework a valid document describes; all or nothing.

    Raises FrameworkFileError listing every problem, with nothing loaded.
    """
    problems = validate_framework(data)
    if problems:
        raise FrameworkFileError(problems)
    try:
        with transaction.atomic():
            before = content_digest(data["code"])
            framework = _load(data)
            if before is not None and content_digest(framework.code) != before:
                # Scores and the texts reports print have changed: every assessment under
                # the framework is a new version, and reports of the old one are not current.
                Assessment.objects.filter(framework=framework).update(revision=F("revision") + 1)
            if before is not None:
                # Every process keeps the framework's structure under this revision
                # (``scoring.framework_spec``); a new one has them build it again. Raised at
                # every load: what they keep holds more than the digest covers (evidence
                # texts, descriptions).
                Framework.objects.filter(pk=framework.pk).update(
                    structure_revision=F("structure_revision") + 1
                )
                framework.refresh_from_db(fields=["structure_revision"])
            return framework
    except ProtectedError as error:
        codes = sorted({str(obj.indicator.code) for obj in error.protected_objects})
        raise FrameworkFileError(
            [f"indicators {', '.join(codes)}: have answers and cannot be removed"]
        ) from error


def content_digest(code: str) -> str | None:
    """A digest of everything in a loaded framework that scores or reports use; None when no
    framework has that code."""
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        return None
    parts = [
        [
            framework.name,
            framework.name_en,
            framework.scale_min,
            framework.scale_max,
            framework.aggregation,
            framework.dimension_term,
            framework.dimension_term_en,
        ],
        list(
            framework.bands.order_by("min_score").values_list(
                "min_score", "name", "name_en", "color"
            )
        ),
        list(
            framework.dimensions.order_by("order", "code").values_list(
                "code", "name", "name_en", "weight"
            )
        ),
        list(
            Aspect.objects.filter(dimension__framework=framework)
            .order_by("dimension__order", "order", "code")
            .values_list("dimension__code", "code", "name", "name_en", "weight")
        ),
        list(
            Indicator.objects.filter(dimension__framework=framework)
            .order_by("dimension__order", "order", "code")
            .values_list("dimension__code", "aspect__code", "code", "name", "name_en", "weight")
        ),
        list(
            Level.objects.filter(indicator__dimension__framework=framework)
            .order_by("indicator__code", "level")
            .values_list("indicator__code", "level", "descriptor", "descriptor_en")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load_framework_file(path: Path | str) -> Framework:
    return load_framework(read_framework_file(path))


def _text(obj, key):
    return (obj.get(key) or "").strip()


def _load(data: dict) -> Framework:
    framework, _ = Framework.objects.update_or_create(
        code=data["code"],
        defaults={
            "name": _text(data, "name"),
            "name_en": _text(data, "name_en"),
            "version": _text(data, "version"),
            "description": _text(data, "description"),
            "scale_min": data["scale"]["min"],
            "scale_max": data["scale"]["max"],
            "aggregation": data.get("aggregation", Aggregation.GROUPED),
            "dimension_term": _text(data, "dimension_term") or "dimensi",
            "dimension_term_en": _text(data, "dimension_term_en") or "dimension",
        },
    )
    framework.bands.all().delete()
    RatingBand.objects.bulk_create(
        RatingBand(
            framework=framework,
            min_score=Decimal(str(band["min"])),
            name=_text(band, "name"),
            name_en=_text(band, "name_en"),
            color=_text(band, "color").lower(),
        )
        for band in data["bands"]
    )
    kept_dimensions, kept_indicators = [], []
    for d_order, d in enumerate(data["dimensions"]):
        dimension, _ = Dimension.objects.update_or_create(
            framework=framework,
            code=d["code"],
            defaults={
                "name": _text(d, "name"),
                "name_en": _text(d, "name_en"),
                "description": _text(d, "description"),
                "description_en": _text(d, "description_en"),
                "weight": Decimal(str(d["weight"])),
                "order": d_order,
            },
        )
        kept_dimensions.append(dimension.pk)
        groups = [(None, d["indicators"])] if "indicators" in d else []
        kept_aspects = []
        for a_order, a in enumerate(d.get("aspects", [])):
            aspect, _ = Aspect.objects.update_or_create(
                dimension=dimension,
                code=a["code"],
                defaults={
                    "name": _text(a, "name"),
                    "name_en": _text(a, "name_en"),
                    "weight": Decimal(str(a["weight"])),
                    "order": a_order,
                },
            )
            kept_aspects.append(aspect.pk)
            groups.append((aspect, a["indicators"]))
        order = 0
        for aspect, indicators in groups:
            for i in indicators:
                indicator = _load_indicator(dimension, aspect, i, order)
                kept_indicators.append(indicator.pk)
                order += 1
        dimension.aspects.exclude(pk__in=kept_aspects).delete()
    Indicator.objects.filter(dimension__framework=framework).exclude(
        pk__in=kept_indicators
    ).delete()
    framework.dimensions.exclude(pk__in=kept_dimensions).delete()
    return framework


def _load_indicator(dimension, aspect, data, order) -> Indicator:
    # An indicator keeps its identity (and its answers) when it moves between dimensions.
    indicator = Indicator.objects.filter(
        dimension__framework=dimension.framework, code=data["code"]
    ).first() or Indicator(code=data["code"])
    indicator.dimension = dimension
    indicator.aspect = aspect
    indicator.name = _text(data, "name")
    indicator.name_en = _text(data, "name_en")
    indicator.evidence = _text(data, "evidence")
    indicator.evidence_en = _text(data, "evidence_en")
    indicator.weight = Decimal(str(data["weight"]))
    indicator.order = order
    indicator.save()
    indicator.levels.exclude(level__in=[lv["level"] for lv in data["levels"]]).delete()
    for level in data["levels"]:
        Level.objects.update_or_create(
            indicator=indicator,
            level=level["level"],
            defaults={
                "descriptor": _text(level, "descriptor"),
                "descriptor_en": _text(level, "descriptor_en"),
            },
        )
    return indicator
