"""One tenant's FAQ index: dense vectors in FAISS and BM25 terms, saved with a manifest."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.config import Profile, RetrievalConfig
from retrieval.dense.faiss_index import FaissIndex
from retrieval.documents import FaqEntry, content_hash, question_key
from retrieval.encoders.base import Encoder
from retrieval.errors import IndexCorrupted, IndexManifestMismatch
from retrieval.hubness import Background
from retrieval.sparse.bm25 import Analyse, BM25Index, analyse_all
from retrieval.sparse.ngrams import char_bigrams

FORMAT = 4
MANIFEST = "manifest.json"
# Dense texts of a FAQ: each of its questions, and one "document" (question and answer together).
FIELD_QUESTION, FIELD_DOCUMENT = 0, 1
SIGNALS_LEXICAL = ("bm25", "chars")
SIGNAL_DENSE = "dense"
# FAQs encoded per step of a dense build: the unit of progress, and of what a restart redoes.
DENSE_STEP = 16

Progress = Callable[[int], None]
Rewrite = Callable[[str], str]


def _unchanged(text: str) -> str:
    return text


@dataclass(frozen=True)
class Manifest:
    format: int
    encoder: str
    dim: int
    faq_hash: str
    # Identifies the injected text rewriting (e.g. the slang lexicon): another one means a rebuild.
    analysis: str
    built_at: str
    faqs: int
    texts: int
    files: dict[str, str]
    # What the index holds: the lexical signals always, the dense vectors once they are built.
    signals: list[str]

    @property
    def dense(self) -> bool:
        return SIGNAL_DENSE in self.signals


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dense_texts(entries: Sequence[FaqEntry], rewrite: Rewrite) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every text a FAQ is found by, contiguous per FAQ: its questions (an operator's translations
    among them: a foreign visitor's question is nearest its own language), then its document."""
    texts: list[str] = []
    owners: list[int] = []
    fields: list[int] = []
    for i, e in enumerate(entries):
        for q in e.asked_as():
            texts.append(rewrite(q))
            owners.append(i)
            fields.append(FIELD_QUESTION)
        texts.append(rewrite(f"{e.question} {e.answer}"))
        owners.append(i)
        fields.append(FIELD_DOCUMENT)
    return texts, np.array(owners, dtype=np.int64), np.array(fields, dtype=np.int8)


def sparse_text(entry: FaqEntry) -> str:
    """The BM25 document of a FAQ: category, questions and answer."""
    return " ".join((entry.category, entry.question, *entry.alt_questions, entry.answer))


class FaqIndex:
    """Built once per FAQ set; read-only afterwards, so readers need no lock.

    The lexical signals (two BM25 views) take seconds even for 10,000 FAQs; the dense vectors
    (a sentence encoder's pass over every text) take minutes there. An index can therefore be
    served with its lexical signals alone (``has_dense`` false, the config's lexical profile) and
    completed later into a new index object (``with_dense``) that is swapped in.
    """

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        encoder: Encoder,
        analyse: Analyse,
        config: RetrievalConfig,
        rewrite: Rewrite | None = None,
        analysis: str = "",
        background: Background | None = None,
    ):
        """``background``: off-topic questions the FAQs' hubness is measured against (none: no
        FAQ is discounted)."""
        self.entries = tuple(entries)
        self.encoder = encoder
        self.config = config
        self.rewrite = rewrite or _unchanged
        self.analysis = analysis
        self.background = background
        self.faq_hash = content_hash(self.entries)
        self.bm25 = BM25Index(analyse, name="bm25")
        self.chars = BM25Index(char_bigrams, name="chars")
        self.dense = FaissIndex(encoder.dim, config.ann_min_texts)
        self.has_dense = False
        self.vectors = np.zeros((0, encoder.dim), dtype=np.float32)
        self.owners = np.zeros(0, dtype=np.int64)
        self.fields = np.zeros(0, dtype=np.int8)
        #: Each FAQ's hubness (retrieval/hubness.py) of its question + answer document: zeros
        #: without a background or until the dense vectors are built.
        self.document_hubness = np.zeros(len(self.entries), dtype=np.float32)
        self.manifest: Manifest | None = None
        #: Where the index was saved or loaded from.
        self.directory: Path | None = None

    @property
    def profile(self) -> Profile:
        return self.config.profile(self.has_dense)

    @property
    def offsets(self) -> np.ndarray:
        """``offsets[i]:offsets[i + 1]`` are the rows of FAQ ``i``'s texts (cached)."""
        cached: np.ndarray | None = self.__dict__.get("_offsets")
        if cached is None or len(cached) != len(self.entries) + 1:
            cached = np.searchsorted(self.owners, np.arange(len(self.entries) + 1))
            self.__dict__["_offsets"] = cached
        return cached

    @property
    def text_languages(self) -> np.ndarray:
        """The language of each dense text, row for row with ``vectors`` (cached): a translated
        question's own, Korean for the FAQ's questions and its document."""
        cached: np.ndarray | None = self.__dict__.get("_languages")
        if cached is None or len(cached) != len(self.owners):
            languages = [
                language for e in self.entries for language in (*(lang for _, lang in e.asked_in()), "ko")
            ]
            cached = self.__dict__["_languages"] = np.array(languages, dtype="<U8")
        return cached

    def _dense_ready(self) -> None:
        """The dense vectors are indexed: the FAQs' hubness follows from them (70 ms at 10,000
        FAQs, measured here to keep it off the chat path)."""
        self.has_dense = True
        if self.background is not None:
            documents = self.fields == FIELD_DOCUMENT
            # A new array: a copy of this index (``using``) served meanwhile keeps its own.
            hubness = np.zeros(len(self.entries), dtype=np.float32)
            hubness[self.owners[documents]] = self.background.hubness(self.vectors[documents])
            self.document_hubness = hubness

    def asked_exactly(self, query: str) -> list[int]:
        """Positions of the FAQs that have ``query`` as one of their questions, up to case, spacing
        and punctuation (the lookup is built once per index)."""
        keys: dict[str, list[int]] | None = self.__dict__.get("_question_keys")
        if keys is None:
            keys = {}
            for position, entry in enumerate(self.entries):
                for text in dict.fromkeys(question_key(q) for q in entry.asked_as()):
                    keys.setdefault(text, []).append(position)
            self.__dict__["_question_keys"] = keys
        return keys.get(question_key(query), []) if query.strip() else []

    def question_vectors(self, faq_ids: Sequence[str]) -> np.ndarray:
        """Unit vectors of these FAQs' main questions, a row per id in the order given; an id this
        index does not hold (a result from the version before a swap), or an index without its
        dense vectors yet, gives zero rows."""
        positions: dict[str, int] | None = self.__dict__.get("_positions")
        if positions is None:
            positions = self.__dict__["_positions"] = {e.id: i for i, e in enumerate(self.entries)}
        out = np.zeros((len(faq_ids), self.encoder.dim), dtype=np.float32)
        if not self.has_dense:
            return out
        for row, faq_id in enumerate(faq_ids):
            if faq_id in positions:
                out[row] = self.vectors[self.offsets[positions[faq_id]]]
        return out

    def using(self, encoder: Encoder, analyse: Analyse) -> FaqIndex:
        """This index, querying through ``encoder`` and ``analyse`` instead (e.g. the plain ones after
        a build through caching wrappers): the same identity is required, nothing is re-read."""
        _check_encoder(self.encoder, encoder)
        twin = copy.copy(self)
        twin.encoder = encoder
        twin.bm25 = copy.copy(self.bm25)
        twin.bm25.analyse = analyse
        return twin

    def build(self, progress: Progress | None = None) -> FaqIndex:
        """Every signal: the lexical ones, then the dense vectors (``progress`` is told how many
        FAQs are encoded)."""
        self.build_lexical()
        self.build_dense(progress)
        return self

    def build_lexical(self) -> FaqIndex:
        """The two BM25 views (Kiwi analyses the documents in a batch on its own threads)."""
        documents = [self.rewrite(sparse_text(e)) for e in self.entries]
        self.chars.index(documents)
        self.bm25.index(documents, analyse_all(self.bm25.analyse, documents))
        return self

    def build_dense(
        self, progress: Progress | None = None, encoder: Encoder | None = None, donor: FaqIndex | None = None
    ) -> FaqIndex:
        """Encode every text (through ``encoder`` when given, e.g. a caching one, else the index's
        own) in steps of DENSE_STEP FAQs, and index the vectors. ``donor``: a complete index made
        the same way (the one served before an edit), whose vectors the FAQs it holds unchanged
        reuse."""
        encoder = encoder or self.encoder
        if donor is not None and self.made_like(donor) and donor.has_dense:
            self.vectors, self.owners, self.fields = reuse_texts(
                self.entries, donor, encoder, self.rewrite, progress
            )
        else:
            self.vectors, self.owners, self.fields = encode_texts(
                self.entries, encoder, self.rewrite, progress
            )
        self.dense.index_vectors(self.vectors)
        self._dense_ready()
        return self

    def changed_entries(self, entries: Sequence[FaqEntry]) -> list[FaqEntry]:
        """Those ``entries`` that are not exactly FAQs of this index (an edit of its set)."""
        known = set(self.entries)
        return [e for e in entries if e not in known]

    def dense_texts_of(self, entries: Sequence[FaqEntry]) -> tuple[list[str], list[str]]:
        """The questions and passages of ``entries`` as this index encodes them."""
        texts, _, fields = _dense_texts(entries, self.rewrite)
        questions = [t for t, f in zip(texts, fields, strict=True) if f == FIELD_QUESTION]
        passages = [t for t, f in zip(texts, fields, strict=True) if f == FIELD_DOCUMENT]
        return questions, passages

    def with_dense(
        self, progress: Progress | None = None, encoder: Encoder | None = None, donor: FaqIndex | None = None
    ) -> FaqIndex:
        """A new index: this one's lexical signals and its dense vectors, built (or taken from
        ``donor``, as for ``build_dense``); ``self`` is not changed (it keeps serving meanwhile)."""
        complete = copy.copy(self)
        complete.dense = FaissIndex(self.encoder.dim, self.config.ann_min_texts)
        complete.manifest = complete.directory = None
        complete.__dict__.pop("_offsets", None)
        return complete.build_dense(progress, encoder, donor)

    def made_like(self, other: FaqIndex) -> bool:
        """Does ``other`` turn a FAQ into the same vectors: the same encoder, and the same analysis,
        which names the lexicon that rewrites the texts?"""
        return _same_encoder(self.encoder, other.encoder) and other.analysis == self.analysis

    def save(self, directory: Path) -> Manifest:
        directory.mkdir(parents=True, exist_ok=True)
        faqs = directory / "faqs.json"
        faqs.write_text(json.dumps([e.to_dict() for e in self.entries], ensure_ascii=False), encoding="utf-8")
        files = [faqs, *self.bm25.save(directory), *self.chars.save(directory)]
        signals = list(SIGNALS_LEXICAL)
        if self.has_dense:
            arrays = directory / "texts.npz"
            np.savez(arrays, vectors=self.vectors, owners=self.owners, fields=self.fields)
            files += [arrays, *self.dense.save(directory)]
            signals.append(SIGNAL_DENSE)
        self.manifest = Manifest(
            format=FORMAT,
            encoder=self.encoder.name,
            dim=self.encoder.dim,
            faq_hash=self.faq_hash,
            analysis=self.analysis,
            built_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            faqs=len(self.entries),
            texts=len(self.owners),
            files={f.name: _sha256(f) for f in files},
            signals=signals,
        )
        (directory / MANIFEST).write_text(json.dumps(self.manifest.__dict__, indent=2), encoding="utf-8")
        return self.manifest

    @classmethod
    def load(
        cls,
        directory: Path,
        encoder: Encoder,
        analyse: Analyse,
        config: RetrievalConfig,
        rewrite: Rewrite | None = None,
        analysis: str = "",
        background: Background | None = None,
    ) -> FaqIndex:
        """Load and verify an index; raises IndexManifestMismatch or IndexCorrupted, never half-loads."""
        manifest = read_manifest(directory)
        if manifest.encoder != encoder.name or manifest.dim != encoder.dim:
            raise IndexManifestMismatch(
                f"색인 {directory}은(는) 다른 인코더({manifest.encoder})로 만들어졌습니다.",
                f"index {directory} was built by {manifest.encoder} (dim {manifest.dim}), "
                f"not {encoder.name} (dim {encoder.dim})",
            )
        if manifest.format != FORMAT or manifest.analysis != analysis:
            raise IndexManifestMismatch(
                f"색인 {directory}은(는) 다른 형식이나 사전으로 만들어졌습니다.",
                f"index {directory} has format {manifest.format} and analysis {manifest.analysis!r}, "
                f"not {FORMAT} and {analysis!r}",
            )
        for name, digest in manifest.files.items():
            path = directory / name
            if not path.is_file() or _sha256(path) != digest:
                raise IndexCorrupted(
                    f"색인 파일 {path}이(가) 손상되었습니다.", f"index file {path} is corrupted"
                )
        entries = [FaqEntry.from_dict(d) for d in json.loads((directory / "faqs.json").read_text("utf-8"))]
        index = cls(entries, encoder, analyse, config, rewrite, analysis, background)
        index.bm25.load(directory)
        index.chars.load(directory)
        if manifest.dense:
            with np.load(directory / "texts.npz") as arrays:
                index.vectors, index.owners, index.fields = (
                    arrays["vectors"],
                    arrays["owners"],
                    arrays["fields"],
                )
            index.dense.load(directory)
            index._dense_ready()
        index.manifest = manifest
        index.directory = directory
        return index


def encode_texts(
    entries: Sequence[FaqEntry], encoder: Encoder, rewrite: Rewrite, progress: Progress | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectors of every FAQ's dense texts (questions on the query side, the question + answer
    document on the passage side), with each text's FAQ and field; each distinct text is encoded
    once (alternative questions and documents repeat in real sets)."""
    texts, owners, fields = _dense_texts(entries, rewrite)
    is_document = fields == FIELD_DOCUMENT
    offsets = np.searchsorted(owners, np.arange(len(entries) + 1))
    vectors = np.zeros((len(texts), encoder.dim), dtype=np.float32)
    for first in range(0, len(entries), DENSE_STEP):
        last = min(first + DENSE_STEP, len(entries))
        rows = np.arange(offsets[first], offsets[last])
        for passages, encode in ((False, encoder.encode), (True, encoder.encode_passages)):
            chosen = rows[is_document[rows] == passages]
            distinct = list(dict.fromkeys(texts[r] for r in chosen))
            if distinct:
                row = {t: i for i, t in enumerate(distinct)}
                vectors[chosen] = encode(distinct)[[row[texts[r]] for r in chosen]]
        if progress:
            progress(last - first)
    return vectors, owners, fields


def reuse_texts(
    entries: Sequence[FaqEntry],
    donor: FaqIndex,
    encoder: Encoder,
    rewrite: Rewrite,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``encode_texts``, with the rows of every FAQ ``donor`` holds unchanged copied from it: an
    edit of 100 FAQs in 10,000 rewrites and looks up 200 texts, not 20,000 (~1 s)."""
    position = {e: j for j, e in enumerate(donor.entries)}
    new = [e for e in entries if e not in position]
    new_vectors, new_owners, new_fields = encode_texts(new, encoder, rewrite, progress)
    new_offsets = np.searchsorted(new_owners, np.arange(len(new) + 1)) + len(donor.owners)
    old_offsets, added = donor.offsets, iter(range(len(new)))
    pieces = []
    for entry in entries:
        j = position.get(entry)
        if j is None:
            k = next(added)
            pieces.append(np.arange(new_offsets[k], new_offsets[k + 1]))
        else:
            pieces.append(np.arange(old_offsets[j], old_offsets[j + 1]))
    rows = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    owners = np.repeat(np.arange(len(entries), dtype=np.int64), lengths)
    if progress and len(entries) > len(new):
        progress(len(entries) - len(new))
    vectors = np.concatenate([donor.vectors, new_vectors])[rows]
    return vectors, owners, np.concatenate([donor.fields, new_fields])[rows]


def _same_encoder(one: Encoder, other: Encoder) -> bool:
    return one.name == other.name and one.dim == other.dim


def _check_encoder(built_by: Encoder, other: Encoder) -> None:
    if not _same_encoder(built_by, other):
        raise IndexManifestMismatch(
            f"색인은 {built_by.name} 인코더로 만들어졌습니다.",
            f"index was built by {built_by.name} (dim {built_by.dim}), not {other.name} (dim {other.dim})",
        )


def read_manifest(directory: Path) -> Manifest:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupted(
            f"색인 {directory}의 manifest를 읽을 수 없습니다.", f"cannot read manifest of {directory}: {exc}"
        ) from exc
