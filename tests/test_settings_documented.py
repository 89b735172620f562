"""Every setting is read in scheduling/config.py only, and documented in the README."""

from __future__ import annotations

import re

import pytest

from scheduling.config import SETTINGS, Config, settings_table
from tests.conftest import ROOT

CODE_DIRS = ("scheduling", "booking_app", "admin_streamlit", "pipelines", "tests")
ENV_READ = re.compile(r"""(?:environ(?:\.get)?\s*[\[(]|getenv\s*\()\s*["']([A-Z][A-Z0-9_]*)["']""")


def _readme_table_names() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", readme, flags=re.MULTILINE))


def test_every_setting_is_in_the_readme_table() -> None:
    assert {s.name for s in SETTINGS} <= _readme_table_names()


def test_the_readme_table_is_the_generated_one() -> None:
    assert settings_table() in (ROOT / "README.md").read_text()


def test_the_readme_documents_no_setting_the_code_lacks() -> None:
    assert _readme_table_names() <= {s.name for s in SETTINGS}


@pytest.mark.parametrize("folder", CODE_DIRS)
def test_no_code_reads_the_environment_outside_config(folder: str) -> None:
    offenders = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        if path == ROOT / "scheduling" / "config.py":
            continue
        for name in ENV_READ.findall(path.read_text()):
            offenders.append(f"{path.relative_to(ROOT)} reads {name}")
    assert offenders == []


def test_defaults_and_overrides_are_typed() -> None:
    default = Config.from_env({})
    custom = Config.from_env({"WEB_PORT": "9100", "LOG_LEVEL": "debug", "DATABASE_URL": " "})
    assert (default.web_port, default.console_port, default.job_max_attempts) == (8000, 8501, 5)
    assert (custom.web_port, custom.log_level, custom.database_url) == (9100, "DEBUG", None)


def test_a_malformed_number_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="WEB_PORT must be a whole number, not 'eighty'"):
        Config.from_env({"WEB_PORT": "eighty"})
