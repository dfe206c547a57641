from assessments.loader import load_framework
from assessments.workflow import assessment_create


def framework_document(code="mini", dimensions=("policy", "planning"), per_dimension=2):
    """A small valid framework document on the 1–4 scale with PeGI's bands."""
    return {
        "code": code,
        "name": "Kerangka uji",
        "name_en": "Test framework",
        "version": "1",
        "scale": {"min": 1, "max": 4},
        "bands": [
            {"min": 1.0, "name": "Sangat Kurang", "name_en": "Very poor"},
            {"min": 1.6, "name": "Kurang", "name_en": "Poor"},
            {"min": 2.6, "name": "Baik", "name_en": "Good"},
            {"min": 3.6, "name": "Sangat Baik", "name_en": "Very good"},
        ],
        "dimensions": [
            {
                "code": dimension,
                "name": f"Dimensi {dimension}",
                "name_en": f"Dimension {dimension}",
                "weight": 1,
                "indicators": [
                    {
                        "code": f"{dimension}-{n:02d}",
                        "name": f"Indikator {dimension} {n}",
                        "weight": 1,
                        "evidence": "Salinan dokumen",
                        "levels": [
                            {"level": level, "descriptor": f"Deskripsi level {level}"}
                            for level in range(1, 5)
                        ],
                    }
                    for n in range(1, per_dimension + 1)
                ],
            }
            for dimension in dimensions
        ],
    }


def make_framework(**kwargs):
    return load_framework(framework_document(**kwargs))


def make_assessment(user, region, framework, year=2020):
    return assessment_create(user=user, region=region, year=year, framework=framework)
