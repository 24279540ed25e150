"""The Rasa model: named by a hash of everything that shapes it, trained only when that changes.

FAQ sets are not an input (answers come from retrieval at run time), so publishing a FAQ set never
retrains Rasa.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Inputs of `rasa train`, relative to the project root; nlu/ holds the tokenizer the model runs.
MODEL_INPUTS = ("config.yml", "domain.yml", "data/rasa", "nlu/kiwi_tokenizer.py", "nlu/korean.py")
MODEL_PREFIX = "faqbot-"


class RasaTrainingFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class RasaProject:
    """Where the Rasa inputs, environment and models of one checkout live."""

    root: Path
    models_dir: Path

    @property
    def rasa_bin(self) -> Path:
        return self.root / ".venv-rasa" / "bin" / "rasa"

    @property
    def python(self) -> Path:
        return self.root / ".venv-rasa" / "bin" / "python"

    @property
    def server_command(self) -> list[str]:
        """``rasa`` as faqbot runs it (server and training): through ``rasa_server``, which first
        ties the process to its parent and applies faqbot's fixes to Rasa's hot path (see
        rasa_server/)."""
        return [str(self.python), "-m", "rasa_server"]

    @property
    def available(self) -> bool:
        return self.rasa_bin.exists()

    def env(self, **extra: str) -> dict[str, str]:
        """Environment of Rasa processes: our tokenizer importable, no telemetry, and Rasa's
        training cache beside the models instead of ``.rasa/`` in the working tree."""
        return {
            **os.environ,
            "PYTHONPATH": str(self.root),
            "RASA_TELEMETRY_ENABLED": "false",
            "RASA_CACHE_DIRECTORY": str(self.models_dir.parent / "cache"),
            **extra,
        }

    def inputs_hash(self) -> str:
        digest = hashlib.sha256()
        for name in MODEL_INPUTS:
            path = self.root / name
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                digest.update(file.relative_to(self.root).as_posix().encode())
                digest.update(b"\0")
                digest.update(file.read_bytes())
                digest.update(b"\0")
        return digest.hexdigest()[:16]

    def model_path(self) -> Path:
        """The model file for the current inputs (it may not exist yet)."""
        return self.models_dir / f"{MODEL_PREFIX}{self.inputs_hash()}.tar.gz"

    def is_current(self) -> bool:
        return self.model_path().exists()

    def train(self, force: bool = False, log_file: Path | None = None) -> Path:
        """Train unless a model for the current inputs exists; returns the model file."""
        model = self.model_path()
        if model.exists() and not force:
            return model
        self.models_dir.mkdir(parents=True, exist_ok=True)
        command = [
            *self.server_command, "train",
            "--config", "config.yml", "--domain", "domain.yml", "--data", "data/rasa",
            "--out", str(self.models_dir), "--fixed-model-name", model.name.removesuffix(".tar.gz"),
        ]  # fmt: skip
        log_file = log_file or self.models_dir / "train.log"
        log.info("training the Rasa model %s (log: %s)", model.name, log_file)
        with log_file.open("wb") as out:
            result = subprocess.run(
                command, cwd=self.root, env=self.env(), stdout=out, stderr=subprocess.STDOUT
            )
        if result.returncode != 0 or not model.exists():
            raise RasaTrainingFailed(f"rasa train failed (exit {result.returncode}); see {log_file}")
        for old in self.models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"):
            if old != model:
                old.unlink()
        return model
