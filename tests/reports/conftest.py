import subprocess
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", stdout=StringIO())
    return settings.DEMO_PASSWORD


def pdf_text(data: bytes, tmp_path, *, layout=False) -> list[str]:
    """The text of each page of a PDF, read back with poppler's pdftotext."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(path), "-"]
    text = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def pdf_pages(data: bytes, tmp_path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
