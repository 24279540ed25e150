"""Slang, abbreviation and synonym normalisation from data files (긱사 → 기숙사, 댕댕이 → 반려견).

A lexicon maps each canonical word to the variants people type instead; ``apply`` rewrites the
variants in a text to the canonical word, so that BM25 and the sentence encoder both see the FAQ's
vocabulary. Files are layered: the general lexicon first, then a region's dialect file
(``data/lexicon/regions/<region-code>.yml``), then a tenant's own synonyms; a later file may map a
variant to a different canonical word. Imports only PyYAML and the standard library (the Rasa
environment loads this module too).

An entry whose words start with ``~`` rewrites word endings instead of words (dialect endings
attach to any stem): ``"~나요": ["~는교"]`` turns 신청하는교 into 신청하나요, only at a word's end.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["Lexicon", "LexiconError", "lexicon_files", "read_terms"]

# A variant must start a word: not preceded by a Hangul syllable, letter or digit. It may be
# followed by anything, because Korean particles and endings attach directly (긱사에서, 복전하려면).
_WORD_START = r"(?<![0-9A-Za-z\uac00-\ud7a3])"
# An ending must finish its word: nothing word-like may follow it.
_WORD_END = r"(?![0-9A-Za-z\uac00-\ud7a3])"
_ENDING = "~"


class LexiconError(ValueError):
    """A lexicon file is unreadable or not a mapping of canonical word → list of variants."""


@dataclass(frozen=True)
class Lexicon:
    #: variant → canonical word, after layering every file.
    replacements: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Iterable[Path]) -> Lexicon:
        """Layer the files in order (missing optional files are skipped by the caller, not here)."""
        table: dict[str, str] = {}
        for path in paths:
            table.update(_read(path))
        return cls(table)

    @classmethod
    def from_mapping(cls, terms: Mapping[str, Iterable[str]]) -> Lexicon:
        return cls(_invert(terms, source="<mapping>"))

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other`` layered on top (e.g. a tenant's synonyms)."""
        return Lexicon({**self.replacements, **other.replacements})

    @property
    def fingerprint(self) -> str:
        """Identifies the rewriting, so an index built under another lexicon is rebuilt."""
        payload = "\n".join(f"{k}\t{v}" for k, v in sorted(self.replacements.items()))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def apply(self, text: str) -> str:
        """``text`` with every variant (at a word start, longest first) replaced by its canonical word,
        then every ``~`` ending (at a word end) replaced by its canonical ending."""
        if not self.replacements:
            return text
        text = self._pattern.sub(lambda m: self._replace(m, text), text)
        endings = self._endings
        if endings is None:
            return text
        return endings.sub(lambda m: self.replacements[_ENDING + m.group(0)][len(_ENDING) :], text)

    def _replace(self, match: re.Match[str], text: str) -> str:
        canonical = self.replacements[match.group(0)]
        # A variant that begins its own canonical word (셔틀 → 셔틀버스) must not grow it again.
        return match.group(0) if text.startswith(canonical, match.start()) else canonical

    @property
    def _pattern(self) -> re.Pattern[str]:
        cached: re.Pattern[str] | None = self.__dict__.get("_compiled")
        if cached is None:
            # Longest variants first, so 복수전공 wins over 복전 when both could match.
            words = [v for v in self.replacements if not v.startswith(_ENDING)]
            alternatives = "|".join(re.escape(v) for v in sorted(words, key=len, reverse=True))
            cached = re.compile(f"{_WORD_START}(?:{alternatives})" if words else r"(?!)")
            object.__setattr__(self, "_compiled", cached)
        return cached

    @property
    def _endings(self) -> re.Pattern[str] | None:
        if "_compiled_endings" not in self.__dict__:
            endings = [v[len(_ENDING) :] for v in self.replacements if v.startswith(_ENDING)]
            alternatives = "|".join(re.escape(v) for v in sorted(endings, key=len, reverse=True))
            object.__setattr__(
                self, "_compiled_endings", re.compile(f"(?:{alternatives}){_WORD_END}") if endings else None
            )
        compiled: re.Pattern[str] | None = self.__dict__["_compiled_endings"]
        return compiled


def read_terms(path: Path) -> dict[str, list[str]]:
    """A lexicon file's ``terms`` (canonical word → variants), checked like ``Lexicon.load`` checks it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"cannot read lexicon {path}: {exc}") from exc
    terms = (data or {}).get("terms") if isinstance(data, dict) else None
    if not isinstance(terms, dict):
        raise LexiconError(f"{path}: expected a 'terms' mapping of canonical word → list of variants")
    _invert(terms, source=str(path))
    return {str(k): [str(v) for v in vs] for k, vs in terms.items()}


def _read(path: Path) -> dict[str, str]:
    return _invert(read_terms(path), source=str(path))


def _invert(terms: Mapping[str, Iterable[str]], source: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for canonical, variants in terms.items():
        if not isinstance(canonical, str) or not canonical.strip() or isinstance(variants, str):
            raise LexiconError(f"{source}: entry {canonical!r} must map a word to a list of variants")
        for variant in variants:
            if not isinstance(variant, str) or not variant.strip():
                raise LexiconError(f"{source}: empty or non-text variant under {canonical!r}")
            if variant.startswith(_ENDING) != canonical.startswith(_ENDING) or variant == _ENDING:
                raise LexiconError(f"{source}: {variant!r} and {canonical!r} must both be ~endings or words")
            if variant != canonical:
                table[variant] = canonical
    return table


def lexicon_files(root: Path, region: str | None = None) -> list[Path]:
    """The layered files under ``root`` (``data/lexicon``): general, then the region's dialect."""
    files = [root / "general.yml"]
    if region:
        files.append(root / "regions" / f"{region}.yml")
    return [f for f in files if f.is_file()]
