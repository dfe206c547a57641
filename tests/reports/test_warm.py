import os
import subprocess
import sys

from django.conf import settings

from reports.pdf import warm

LOAD_APPLICATION = (
    "import sys; import egov_portal.wsgi; "
    "print('weasyprint' in sys.modules, 'fontTools.subset' in sys.modules)"
)


def load_application(tmp_path, **env):
    """Load the WSGI application in a fresh process, as a server does, with its temporary files
    and uploads in folders of their own."""
    (tmp_path / "tmp").mkdir(exist_ok=True)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="egov_portal.test_settings",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        TMPDIR=str(tmp_path / "tmp"),
        **env,
    )
    return subprocess.run(
        [sys.executable, "-c", LOAD_APPLICATION],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def files_under(path):
    return [os.path.join(root, name) for root, _dirs, names in os.walk(path) for name in names]


def test_the_server_warms_the_pdf_renderer_as_it_loads_and_leaves_no_file(tmp_path):
    result = load_application(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
    assert files_under(tmp_path) == []


def test_warming_can_be_turned_off(tmp_path):
    result = load_application(tmp_path, DJANGO_WARM_AT_START="0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_warming_twice_in_one_process_writes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    warm()
    warm()
    assert files_under(tmp_path) == []
