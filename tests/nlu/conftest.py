"""tests/nlu runs twice over: its Rasa tests inside .venv-rasa, and from the app env one test that
starts that run (so the main pytest command covers the Rasa environment too)."""

from __future__ import annotations

import importlib.util

_IN_RASA_ENV = importlib.util.find_spec("rasa") is not None

# Each environment collects only the files it can import.
collect_ignore = ["test_rasa_env.py"] if _IN_RASA_ENV else ["test_kiwi_tokenizer.py"]
