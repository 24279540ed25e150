"""Every setting is documented: a new Settings field without a README row fails here."""

from pathlib import Path

import pytest

from bot.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_has_a_readme_row(name: str) -> None:
    assert f"| `FAQBOT_{name.upper()}` |" in README


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_has_help_text(name: str) -> None:
    assert Settings.model_fields[name].description
