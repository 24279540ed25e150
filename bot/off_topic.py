"""The off-topic questions every FAQ's hubness is measured against (retrieval/hubness.py): the
examples the intent model learns ``out_of_scope`` from, so one list serves both and grows with it."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

log = logging.getLogger(__name__)
NLU_FILE = Path("rasa") / "nlu.yml"


def off_topic_questions(data_dir: Path) -> list[str]:
    """The Korean ``out_of_scope`` examples of ``data_dir``'s Rasa training data (none, logged,
    when the deployment's data holds no such file: its FAQs are then ranked without hubness)."""
    path = data_dir / NLU_FILE
    try:
        nlu = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as exc:
        log.warning("no off-topic questions for FAQ hubness in %s: %s", path, exc)
        return []
    examples = "\n".join(item["examples"] for item in nlu if item.get("intent") == "out_of_scope")
    return [line.strip()[2:].strip() for line in examples.splitlines() if line.strip().startswith("- ")]
