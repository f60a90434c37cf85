"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by RRF.

``Retriever`` is a llama-index ``BaseRetriever`` (plug it into any query or chat engine),
and its ``retrieve(query, k=..., filters=...)`` returns ``PassageNode`` s: llama-index
``NodeWithScore`` s that also expose the passage fields (doc_id, title, published, ...).
"""

from __future__ import annotations

import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from cachetools import LRUCache, cachedmethod
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from index import DocumentRecord, IndonesianAnalyzer, LexicalHit, Stores
from index.chunking import embed_text
from index.ingest import ingest
from index.vectors import VectorHit
from rag.acronyms import acronyms_in, expansions, find_acronyms, with_acronym
from rag.answer import Passage
from rag.answer_types import asks_for_countries, has_answer_type
from rag.filters import Filters
from rag.fusion import reciprocal_rank_fusion
from rag.gazetteer import other_forms
from rag.language import detect_language
from rag.lexicon import Lexicon
from rag.settings import Settings

_CALL: ContextVar[tuple[int | None, Filters | None]] = ContextVar("_CALL", default=(None, None))
COUNTRY_LIST_POOL = 20  # fused chunks looked at for lists of countries
_NODE_ONLY_KEYS = ["start", "end", "chunk_id", "sentences", "dense_similarity", "kind"]


class PassageNode(NodeWithScore):
    """A retrieved chunk: a llama-index node with score, plus the passage's fields."""

    @property
    def chunk_id(self) -> str:
        return str(self.node.node_id)

    @property
    def doc_id(self) -> str:
        return str(self.node.metadata["doc_id"])

    @property
    def title(self) -> str:
        return str(self.node.metadata.get("title", ""))

    @property
    def published(self) -> str | None:
        return self.node.metadata.get("published")

    @property
    def publisher(self) -> str | None:
        return self.node.metadata.get("publisher")

    @property
    def start(self) -> int:
        return int(self.node.metadata["start"])

    @property
    def end(self) -> int:
        return int(self.node.metadata["end"])

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return [tuple(s) for s in self.node.metadata.get("sentences", [])]

    @property
    def dense_similarity(self) -> float | None:
        value = self.node.metadata.get("dense_similarity")
        return None if value is None else float(value)

    def to_passage(self) -> Passage:
        return Passage(
            doc_id=self.doc_id,
            title=self.title,
            published=self.published,
            publisher=self.publisher,
            text=self.node.get_content(),
            start=self.start,
            end=self.end,
            chunk_id=self.chunk_id,
            score=float(self.score or 0.0),
        )


@dataclass
class Retrieval:
    """One retrieval run: the ranked passages and what evidence selection reuses."""

    query: str
    query_vector: np.ndarray
    passages: list[PassageNode]
    terms: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class Retriever(BaseRetriever):
    """Dense + BM25 retrieval with reciprocal rank fusion and metadata filters."""

    def __init__(self, stores: Stores, settings: Settings) -> None:
        super().__init__()
        self.stores = stores
        self.settings = settings
        self.analyzer = IndonesianAnalyzer()
        # One consistent view, replaced together when an ingest publishes a new BM25 build:
        # the articles and the chunk ids of that build. Chunks outside it (written by an
        # ingest still running, or superseded by one) are not returned, so a search never
        # mixes old and new versions of an article. ``None``: no build was ever published (a
        # first ingest killed before its BM25 step), so the document store alone decides.
        self._docs: dict[str, DocumentRecord] = {}
        self._published: frozenset[str] | None = None
        self._docs_version: object = object()
        self._lock = threading.Lock()
        self._query_cache: LRUCache[Any, np.ndarray] = LRUCache(maxsize=1024)
        self._context_cache: LRUCache[Any, np.ndarray] = LRUCache(maxsize=1024)
        self._lexicon: tuple[object, Lexicon] | None = None
        self._acronyms: tuple[object, dict[str, tuple[str, ...]]] | None = None

    @classmethod
    def load(cls, settings: Settings | None = None) -> Retriever:
        """Open the stores of ``settings`` (default: environment), indexing the seeds if empty."""
        settings = settings or Settings()
        stores = Stores.open(settings)
        if stores.docstore.count_chunks() == 0 and settings.seeds_dir.is_dir():
            ingest(stores, [settings.seeds_dir])
        return cls(stores, settings)

    # -- llama-index -----------------------------------------------------------------------
    def retrieve(  # type: ignore[override]
        self,
        str_or_query_bundle: str | QueryBundle,
        k: int | None = None,
        filters: Filters | dict[str, Any] | None = None,
    ) -> list[PassageNode]:
        """Top ``k`` passages (default ``settings.top_k``), best first."""
        if k is not None and k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        if isinstance(filters, dict):
            filters = Filters.from_dict(filters)
        token = _CALL.set((k, filters))
        try:
            return super().retrieve(str_or_query_bundle)  # type: ignore[return-value]
        finally:
            _CALL.reset(token)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        k, filters = _CALL.get()
        return list(self.search(query_bundle.query_str, k=k, filters=filters).passages)

    # -- our API ---------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> Retrieval:
        k = k or self.settings.top_k
        timings: dict[str, float] = {}
        started = time.perf_counter()
        self.refresh()
        with self._lock:
            docs, published = self._docs, self._published
        vector = self.embed_query(query)
        timings["embed_ms"] = _ms(started)

        where = filters.to_chroma_where() if filters and not filters.empty else None
        candidates = max(self.settings.candidates, k)
        mode = self.settings.retrieval_mode
        t = time.perf_counter()
        dense = (
            self.stores.vectors.query(vector.tolist(), candidates, where) if mode != "bm25" else []
        )
        if dense and self.settings.acronym_context:
            dense = self._with_acronyms(query, vector, dense, docs)
        timings["dense_ms"] = _ms(t)

        t = time.perf_counter()
        lexical: list[LexicalHit] = []
        terms = self.query_terms(query)
        if mode != "dense":
            allowed = self._allowed_chunks(filters) if where else None
            lexical = self.stores.lexical.query(terms, candidates, allowed)
        timings["bm25_ms"] = _ms(t)

        lexical_weight = (
            self.settings.lexical_weight_en
            if detect_language(query, default="id") == "en"
            else self.settings.lexical_weight_id
        )
        rankings = [[h.chunk_id for h in dense], [h.chunk_id for h in lexical]]
        fused = reciprocal_rank_fusion(
            rankings, k=self.settings.rrf_k, weights=[1.0, lexical_weight]
        )
        if self.settings.country_list_weight > 0 and asks_for_countries(query):
            fused = self._with_country_lists(rankings, fused, [1.0, lexical_weight])
        similarity = {h.chunk_id: h.similarity for h in dense}
        records = self.stores.docstore.chunks(cid for cid, _ in fused[: k * 2])
        passages: list[PassageNode] = []
        for chunk_id, score in fused:
            record = records.get(chunk_id)  # absent: a vector not (or no longer) committed
            doc = docs.get(record.doc_id) if record else None
            if record is None or doc is None:
                continue
            if published is not None and chunk_id not in published:
                continue
            if chunk_id not in similarity:
                similarity[chunk_id] = float(np.dot(record.embedding, vector))
            node = TextNode(
                id_=chunk_id,
                text=record.text,
                metadata={
                    "doc_id": record.doc_id,
                    "title": doc.title,
                    "published": doc.published,
                    "publisher": doc.publisher,
                    "kind": record.kind,
                    "start": record.start,
                    "end": record.end,
                    "chunk_id": chunk_id,
                    "sentences": [list(s) for s in record.sentences],
                    "dense_similarity": similarity[chunk_id],
                },
                excluded_llm_metadata_keys=_NODE_ONLY_KEYS,
                excluded_embed_metadata_keys=_NODE_ONLY_KEYS,
            )
            passages.append(PassageNode(node=node, score=score))
            if len(passages) == k:
                break
        timings["retrieve_ms"] = _ms(started)
        return Retrieval(query, vector, passages, terms, timings)

    def _with_acronyms(
        self,
        query: str,
        vector: np.ndarray,
        hits: list[VectorHit],
        docs: dict[str, DocumentRecord],
    ) -> list[VectorHit]:
        """The dense hits re-ranked with each chunk that names one of the query's acronyms
        only by its long form read as if it also wrote the acronym (``acronyms.with_acronym``):
        "How many CSTO troops?" then finds the sentence that gives the CSTO's size under its
        Indonesian name (10th -> 3rd). Those few chunks are embedded again, once per process
        (cached); the stored vectors stay as the index wrote them."""
        used = acronyms_in(query, self.acronyms())
        if not used:
            return hits
        records = self.stores.docstore.chunks(h.chunk_id for h in hits)
        rescored: list[VectorHit] = []
        for hit in hits:
            record = records.get(hit.chunk_id)
            doc = docs.get(record.doc_id) if record else None
            if record is None or doc is None:
                rescored.append(hit)
                continue
            text = record.text
            for acronym, forms in used.items():
                text = with_acronym(text, acronym, forms) or text
            if text == record.text:
                rescored.append(hit)
                continue
            seen = self._context_vector(embed_text(text, doc.title, self.settings.embed_title))
            rescored.append(VectorHit(hit.chunk_id, max(hit.similarity, float(seen @ vector))))
        return sorted(rescored, key=lambda h: -h.similarity)

    def _with_country_lists(
        self,
        rankings: list[list[str]],
        fused: list[tuple[str, float]],
        weights: list[float],
    ) -> list[tuple[str, float]]:
        """The fusion again, with a third ranking for a question about countries: the fused
        top chunks that name three countries or more, in their fused order. The passage that
        lists the countries that sent troops names neither "negara" nor what they did with
        the question's words, and ranked 5th-8th."""
        top = [cid for cid, _ in fused[:COUNTRY_LIST_POOL]]
        records = self.stores.docstore.chunks(top)
        lists = [c for c in top if c in records and has_answer_type(records[c].text, "countries")]
        if not lists:
            return fused
        return reciprocal_rank_fusion(
            [*rankings, lists],
            k=self.settings.rrf_k,
            weights=[*weights, self.settings.country_list_weight],
        )

    @cachedmethod(lambda self: self._context_cache, lock=lambda self: self._lock)
    def _context_vector(self, text: str) -> np.ndarray:
        return np.asarray(self.stores.embedder.get_text_embedding(text), dtype=np.float32)

    # The lock guards the cache only: the embedding runs outside it (cachetools' own rule).
    @cachedmethod(lambda self: self._query_cache, lock=lambda self: self._lock)
    def embed_query(self, query: str) -> np.ndarray:
        """The query's embedding; the last 1,024 queries asked are kept."""
        return np.asarray(self.stores.embedder.get_query_embedding(query), dtype=np.float32)

    def refresh(self) -> None:
        """Pick up a newer index published by an ingest (in this or another process)."""
        self.stores.lexical.refresh()
        version, published = self.stores.lexical.published()
        if version == self._docs_version:
            return
        if version is not None and version not in self.stores.published_here:
            self.stores.reload_vectors()  # another process's ingest: search its vectors too
        docs = {d.doc_id: d for d in self.stores.docstore.documents()}
        with self._lock:
            self._docs, self._docs_version = docs, version
            self._published = None if version is None else published

    def vocabulary(self) -> frozenset[str]:
        """Lower-cased words of the whole corpus (computed once per index version)."""
        return self.lexicon().words

    def lexicon(self) -> Lexicon:
        """The corpus's words and phrases (computed once per index version)."""
        self.refresh()
        with self._lock:
            if self._lexicon is None or self._lexicon[0] != self._docs_version:
                built = Lexicon.of(map(_indexed_text, self._docs.values()))
                self._lexicon = (self._docs_version, built)
            return self._lexicon[1]

    def acronyms(self) -> dict[str, tuple[str, ...]]:
        """Acronym -> long forms, as the corpus defines them (computed once per index version)."""
        self.refresh()
        with self._lock:
            if self._acronyms is None or self._acronyms[0] != self._docs_version:
                found = find_acronyms(doc.raw for doc in self._docs.values())
                self._acronyms = (self._docs_version, found)
            return self._acronyms[1]

    def query_terms(self, query: str) -> list[str]:
        """The query's BM25 terms, plus those of the long forms of the acronyms it uses and of
        the corpus's forms of the gazetteer names it uses ("kementerian kesehatan" for "health
        ministry"): an English question otherwise shares only names and numbers with the
        Indonesian articles."""
        terms = self.analyzer(query)
        in_corpus = self.lexicon().has_words
        for form in (*expansions(query, self.acronyms()), *other_forms(query, in_corpus)):
            terms.extend(t for t in self.analyzer(form) if t not in terms)
        return terms

    def documents(self) -> list[DocumentRecord]:
        self.refresh()
        return list(self._docs.values())

    def document(self, doc_id: str) -> DocumentRecord | None:
        self.refresh()
        return self._docs.get(doc_id)

    def _allowed_chunks(self, filters: Filters | None) -> list[str]:
        if filters is None:
            return []
        accepted = (doc.doc_id for doc in self._docs.values() if filters.accepts(doc))
        return self.stores.docstore.chunk_ids_of(accepted)


def _indexed_text(doc: DocumentRecord) -> str:
    """What of an article can be found and cited: its title, paragraphs and captions, and its
    metadata. Not the lines cleaning removed ("Baca Juga: ..." links to other stories)."""
    meta = (doc.publisher, doc.author, doc.editor, *doc.sources)
    return "\n".join([doc.title, *(b.text for b in doc.blocks), *(m for m in meta if m)])


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
