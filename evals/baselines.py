"""The systems an eval compares: ours, and the baselines it has to beat (``evals.systems``
builds them by name; ``oracle`` and ``plain`` have modules of their own).

Every system answers with a ``rag.Answer`` (so one scorer serves all), ranks passages for
the retrieval metrics, and lists every passage it could retrieve (the pool relevance is
judged in). All use the same embedder (``assistant.retriever.stores.embedder``) and the
same generator.

- ``ours``: ``Assistant`` as it is (hybrid dense + BM25 retrieval, evidence selection,
  refusal, generation, citation checks).
- ``bm25`` / ``dense``: the same pipeline with one retriever: ``Settings.retrieval_mode``
  set to ``"bm25"`` or ``"dense"``, on the same stores, so fusion passes that one ranking
  through in its order.
- ``naive``: llama-index defaults over the raw seed files (``SimpleDirectoryReader``, the
  default ``SentenceSplitter``, ``VectorStoreIndex``, ``similarity_top_k=2``, the default
  QA prompt via ``as_query_engine``). No history, no refusal; it cites the nodes it
  retrieved as [1], [2]. With the extractive generator there is no LLM, so it answers
  with the sentence of its top node closest to the question (same embedder) followed by
  ``[1]``: quoting the whole node (here a whole article) would win every substring metric
  by containing everything.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol

from rag import Answer, Assistant, Citation, GeneratorName, Passage, Retriever, Settings


class System(Protocol):
    """What the runner needs from a system under evaluation."""

    name: str

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        """Answer ``question`` after the conversation ``history``."""
        ...

    def rank(self, query: str, k: int) -> list[Passage]:
        """The top ``k`` passages for ``query``, best first."""
        ...

    def passages(self) -> list[Passage]:
        """Every passage the system can retrieve."""
        ...

    def articles(self) -> dict[str, str]:
        """doc_id -> raw article text that passage and citation offsets point into."""
        ...

    def fingerprint(self) -> str:
        """A hash of what the answers depend on (``evals.fingerprints``)."""
        ...


class PipelineSystem:
    """Our assistant, whole (``ours``) or with a restricted retriever (``bm25``, ``dense``)."""

    sources: tuple[str, ...] = ("rag", "index", "evals/baselines.py")
    """The code its answers come from, for ``fingerprint``."""
    assistant_stages = True
    """Whether it runs the assistant's evidence selection and gate (their settings count)."""

    def __init__(self, name: str, assistant: Assistant, generator: GeneratorName) -> None:
        self.name = name
        self.assistant = assistant
        self.generator: GeneratorName = generator

    def fingerprint(self) -> str:
        from evals.fingerprints import system_fingerprint

        return system_fingerprint(self, self.assistant.settings)

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        return self.assistant.ask(question, list(history), generator=self.generator)

    def rank(self, query: str, k: int) -> list[Passage]:
        return [p.to_passage() for p in self.assistant.retriever.search(query, k=k).passages]

    def passages(self) -> list[Passage]:
        retriever = self.assistant.retriever
        found = []
        for doc in retriever.documents():
            for chunk in retriever.stores.docstore.chunks_of(doc.doc_id):
                found.append(
                    Passage(
                        chunk_id=chunk.chunk_id,
                        doc_id=chunk.doc_id,
                        title=doc.title,
                        published=doc.published,
                        publisher=doc.publisher,
                        text=chunk.text,
                        score=0.0,
                        start=chunk.start,
                        end=chunk.end,
                    )
                )
        return found

    def articles(self) -> dict[str, str]:
        return {doc.doc_id: doc.raw for doc in self.assistant.documents()}


def single_retriever_assistant(assistant: Assistant, keep: Literal["bm25", "dense"]) -> Assistant:
    """An assistant like ``assistant`` whose retrieval uses only the BM25 or the dense ranking.

    It shares the stores of ``assistant`` but not its caches (query and sentence vectors),
    so its latencies do not depend on which system ran first.
    """
    if "retrieval_mode" not in type(assistant.settings).model_fields:
        raise RuntimeError(
            "rag.Settings has no retrieval_mode field: the bm25 and dense baselines need it"
        )
    settings = assistant.settings.model_copy(update={"retrieval_mode": keep})
    return Assistant(Retriever(assistant.retriever.stores, settings), settings)


class NaiveSystem:
    """llama-index defaults: whole-file documents, default splitter, top-2 vector search."""

    name = "naive"
    sources: tuple[str, ...] = ("evals/baselines.py", "rag/generators", "rag/model_files.py")
    assistant_stages = False  # llama-index's own retrieval and prompt

    def __init__(self, settings: Settings, embed_model: Any, generator: GeneratorName) -> None:
        from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
        from llama_index.core.node_parser import SentenceSplitter

        from rag.generators.factory import make_generator

        seeds = Path(settings.seeds_dir)
        if not seeds.is_dir():
            raise FileNotFoundError(
                f"the naive baseline reads the seed articles from {seeds}, which is not a "
                "folder; set RAG_SEEDS_DIR or run without the naive system"
            )
        self.generator: GeneratorName = generator
        self.settings = settings
        self.embed_model = embed_model
        documents = SimpleDirectoryReader(input_dir=str(seeds)).load_data()
        # Passed explicitly: llama-index's global Settings are never read or set. Node ids are
        # "<file stem>:<n>" instead of llama-index's random UUIDs, so that the rankings of a
        # resumed eval (rag eval --resume) name the nodes of the process that scores them;
        # the nodes and their texts are the defaults'.
        splitter = SentenceSplitter(id_func=_node_id)
        self.index = VectorStoreIndex.from_documents(
            documents, embed_model=embed_model, transformations=[splitter]
        )
        self._articles = {
            Path(d.metadata["file_path"]).stem: Path(d.metadata["file_path"]).read_text(
                encoding="utf-8"
            )
            for d in documents
        }
        chosen = make_generator(settings, generator)
        self.llm = getattr(chosen, "llm", None) if chosen.uses_llm else None
        self.retriever = self.index.as_retriever()
        self._query_vectors: dict[str, list[float]] = {}
        self._sentence_vectors: dict[str, list[float]] = {}
        self.engine = self.index.as_query_engine(llm=self.llm) if self.llm is not None else None

    def ask(self, question: str, history: Sequence[tuple[str, str]]) -> Answer:
        from llama_index.core.schema import QueryBundle

        from rag.language import detect_language

        started = time.perf_counter()
        bundle = QueryBundle(question, embedding=self._embed(question))
        if self.engine is not None:
            nodes = self.engine.retrieve(bundle)
            retrieved_at = time.perf_counter()
            text = str(self.engine.synthesize(bundle, nodes)).strip()
        else:
            nodes = self.retriever.retrieve(bundle)
            retrieved_at = time.perf_counter()
            best = (
                self._best_sentence(nodes[0].node.get_content(), bundle.embedding) if nodes else ""
            )
            text = f"{best} [1]" if best else ""
        done = time.perf_counter()
        timings = {"retrieve_ms": _ms(started, retrieved_at), "total_ms": _ms(started, done)}
        if self.engine is not None:
            timings["generate_ms"] = _ms(retrieved_at, done)
        passages = [self._passage(n) for n in nodes]
        citations = tuple(Citation.of(i, p) for i, p in enumerate(passages, start=1))
        return Answer(
            question=question,
            text=text,
            language=detect_language(text or question),
            refused=False,
            citations=citations,
            retrieved=tuple(passages),
            timings=timings,
            standalone_question=question,
            generator=self.generator,
        )

    def rank(self, query: str, k: int) -> list[Passage]:
        from llama_index.core.schema import QueryBundle

        bundle = QueryBundle(query, embedding=self._embed(query))
        return [
            self._passage(n) for n in self.index.as_retriever(similarity_top_k=k).retrieve(bundle)
        ]

    def _best_sentence(self, text: str, query_vector: Sequence[float] | None) -> str:
        """The sentence of ``text`` most similar to the query (vectors cached by sentence)."""
        from index.sentences import split_sentences

        sentences = [s.text for s in split_sentences(text, 0, len(text)) if s.text.strip()]
        missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_vectors]
        if missing:
            vectors = self.embed_model.get_text_embedding_batch(missing)
            self._sentence_vectors.update(zip(missing, vectors, strict=True))
        if not sentences or query_vector is None:
            return text.strip()
        query = list(query_vector)
        return max(
            sentences,
            key=lambda s: sum(a * b for a, b in zip(self._sentence_vectors[s], query, strict=True)),
        )

    def _embed(self, query: str) -> list[float]:
        """The query's embedding, computed once (``rank`` reuses the one ``ask`` made)."""
        if query not in self._query_vectors:
            self._query_vectors[query] = self.embed_model.get_query_embedding(query)
        return self._query_vectors[query]

    def passages(self) -> list[Passage]:
        from llama_index.core.schema import NodeWithScore, TextNode

        nodes = [n for n in self.index.docstore.docs.values() if isinstance(n, TextNode)]
        return [self._passage(NodeWithScore(node=n, score=0.0)) for n in nodes]

    def articles(self) -> dict[str, str]:
        return dict(self._articles)

    def fingerprint(self) -> str:
        from evals.fingerprints import system_fingerprint

        return system_fingerprint(self, self.settings)

    def _passage(self, hit: Any) -> Passage:
        node = hit.node
        doc_id = Path(node.metadata.get("file_path", node.metadata.get("file_name", ""))).stem
        text = node.get_content()
        start, end = node.start_char_idx, node.end_char_idx
        if start is None or end is None:  # locate the node text in its file instead
            start = self._articles.get(doc_id, "").find(text)
            start, end = (0, 0) if start < 0 else (start, start + len(text))
        return Passage(
            chunk_id=str(node.node_id),
            doc_id=doc_id,
            title=str(node.metadata.get("file_name", doc_id)),
            published=None,
            publisher=None,
            text=text,
            score=float(hit.score or 0.0),
            start=int(start),
            end=int(end),
        )


def _node_id(i: int, document: Any) -> str:
    """The ``i``-th node of a file's document: stable from run to run."""
    source = document.metadata.get("file_path") or document.metadata.get("file_name")
    return f"{Path(source).stem if source else document.doc_id}:{i}"


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
