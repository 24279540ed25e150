"""One tenant's FAQ index: dense vectors in FAISS and BM25 terms, saved with a manifest."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.config import RetrievalConfig
from retrieval.dense.faiss_index import FaissIndex
from retrieval.documents import FaqEntry, content_hash
from retrieval.encoders.base import Encoder
from retrieval.errors import IndexCorrupted, IndexManifestMismatch
from retrieval.sparse.bm25 import Analyse, BM25Index, analyse_all
from retrieval.sparse.ngrams import char_bigrams

FORMAT = 2
MANIFEST = "manifest.json"
# Dense texts of a FAQ: each of its questions, and one "document" (question and answer together).
FIELD_QUESTION, FIELD_DOCUMENT = 0, 1

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


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _dense_texts(entries: Sequence[FaqEntry], rewrite: Rewrite) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every text a FAQ is found by, contiguous per FAQ: its questions, then its document."""
    texts: list[str] = []
    owners: list[int] = []
    fields: list[int] = []
    for i, e in enumerate(entries):
        for q in (e.question, *e.alt_questions):
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
    """Built once per FAQ set; read-only afterwards, so readers need no lock."""

    def __init__(
        self,
        entries: Sequence[FaqEntry],
        encoder: Encoder,
        analyse: Analyse,
        config: RetrievalConfig,
        rewrite: Rewrite | None = None,
        analysis: str = "",
    ):
        self.entries = tuple(entries)
        self.encoder = encoder
        self.config = config
        self.rewrite = rewrite or _unchanged
        self.analysis = analysis
        self.faq_hash = content_hash(self.entries)
        self.bm25 = BM25Index(analyse, name="bm25")
        self.chars = BM25Index(char_bigrams, name="chars")
        self.dense = FaissIndex(encoder.dim, config.ann_min_texts)
        self.vectors = np.zeros((0, encoder.dim), dtype=np.float32)
        self.owners = np.zeros(0, dtype=np.int64)
        self.fields = np.zeros(0, dtype=np.int8)
        self.manifest: Manifest | None = None

    @property
    def offsets(self) -> np.ndarray:
        """``offsets[i]:offsets[i + 1]`` are the rows of FAQ ``i``'s texts (cached)."""
        cached: np.ndarray | None = self.__dict__.get("_offsets")
        if cached is None or len(cached) != len(self.entries) + 1:
            cached = np.searchsorted(self.owners, np.arange(len(self.entries) + 1))
            self.__dict__["_offsets"] = cached
        return cached

    def question_vectors(self, faq_ids: Sequence[str]) -> np.ndarray:
        """Unit vectors of these FAQs' main questions, a row per id in the order given; an id this
        index does not hold (a result from the version before a swap) gets a zero row."""
        positions: dict[str, int] | None = self.__dict__.get("_positions")
        if positions is None:
            positions = self.__dict__["_positions"] = {e.id: i for i, e in enumerate(self.entries)}
        out = np.zeros((len(faq_ids), self.vectors.shape[1]), dtype=np.float32)
        for row, faq_id in enumerate(faq_ids):
            if faq_id in positions:
                out[row] = self.vectors[self.offsets[positions[faq_id]]]
        return out

    def using(self, encoder: Encoder, analyse: Analyse) -> FaqIndex:
        """This index, querying through ``encoder`` and ``analyse`` instead (e.g. the plain ones after
        a build through caching wrappers): the same identity is required, nothing is re-read."""
        if encoder.name != self.encoder.name or encoder.dim != self.encoder.dim:
            raise IndexManifestMismatch(
                f"색인은 {self.encoder.name} 인코더로 만들어졌습니다.",
                f"index was built by {self.encoder.name} (dim {self.encoder.dim}), "
                f"not {encoder.name} (dim {encoder.dim})",
            )
        twin = copy.copy(self)
        twin.encoder = encoder
        twin.bm25 = copy.copy(self.bm25)
        twin.bm25.analyse = analyse
        return twin

    def build(self, progress: Progress | None = None, batch: int = 2048) -> FaqIndex:
        """Encode, analyse and index every text; ``progress`` is told how many dense texts are
        done, duplicates included."""
        documents, terms = self.encode_and_analyse(progress, batch)
        self.dense.index_vectors(self.vectors)
        self.bm25.index(documents, terms)
        return self

    def encode_and_analyse(
        self, progress: Progress | None = None, batch: int = 2048
    ) -> tuple[list[str], list[list[str]]]:
        """The slow half of a build: the dense vectors (into ``vectors``) and the BM25 documents
        with their Kiwi terms, both at once: Kiwi on a thread of its own, the encoder's matrix
        products (which release the GIL) on the cores beside it."""
        texts, self.owners, self.fields = _dense_texts(self.entries, self.rewrite)
        documents = [self.rewrite(sparse_text(e)) for e in self.entries]
        with ThreadPoolExecutor(1, thread_name_prefix="bm25") as pool:
            analysed = pool.submit(self._analyse, documents)
            try:
                self.vectors = self._encode(texts, progress, batch)
            finally:
                terms = analysed.result()
        return documents, terms

    def _analyse(self, documents: list[str]) -> list[list[str]]:
        self.chars.index(documents)
        return analyse_all(self.bm25.analyse, documents)

    def _encode(self, texts: list[str], progress: Progress | None, batch: int) -> np.ndarray:
        """Each distinct text encoded once (alternative questions and documents repeat in real sets)."""
        counts = Counter(texts)
        distinct = list(counts)
        chunks = []
        for start in range(0, len(distinct), batch):
            chunk = distinct[start : start + batch]
            chunks.append(self.encoder.encode(chunk))
            if progress:
                progress(sum(counts[t] for t in chunk))
        if not chunks:
            return np.zeros((0, self.encoder.dim), np.float32)
        row = {t: i for i, t in enumerate(distinct)}
        return np.vstack(chunks)[[row[t] for t in texts]]

    def save(self, directory: Path) -> Manifest:
        directory.mkdir(parents=True, exist_ok=True)
        faqs = directory / "faqs.json"
        faqs.write_text(json.dumps([e.to_dict() for e in self.entries], ensure_ascii=False), encoding="utf-8")
        arrays = directory / "texts.npz"
        np.savez(arrays, vectors=self.vectors, owners=self.owners, fields=self.fields)
        files = [
            faqs,
            arrays,
            *self.dense.save(directory),
            *self.bm25.save(directory),
            *self.chars.save(directory),
        ]
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
        index = cls(entries, encoder, analyse, config, rewrite, analysis)
        with np.load(directory / "texts.npz") as arrays:
            index.vectors, index.owners, index.fields = arrays["vectors"], arrays["owners"], arrays["fields"]
        index.dense.load(directory)
        index.bm25.load(directory)
        index.chars.load(directory)
        index.manifest = manifest
        return index


def read_manifest(directory: Path) -> Manifest:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupted(
            f"색인 {directory}의 manifest를 읽을 수 없습니다.", f"cannot read manifest of {directory}: {exc}"
        ) from exc
