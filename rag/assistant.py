"""The assistant: question (+ history) -> retrieval -> evidence -> generation -> checked answer."""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index import DocumentRecord, IngestReport
from index.ingest import ProgressFn, ingest
from rag.answer import Answer, Citation, Language
from rag.checked_stream import CheckedStream
from rag.citations import Verification, verify_citations
from rag.conflicts import figures_conflict
from rag.evidence import Evidence, SentenceVectors, select_evidence
from rag.filters import Filters
from rag.followups import is_followup, normalize_history, rule_based_standalone
from rag.generators.base import GenerationRequest, Generator
from rag.generators.errors import GenerationError
from rag.generators.extractive import ExtractiveGenerator
from rag.generators.factory import make_generator
from rag.generators.warmup import ModelStatus, WarmUp
from rag.injection import is_injection
from rag.language import detect_language
from rag.prompts import REFUSAL, source_label
from rag.refusal import absent_entities, says_not_found
from rag.retrieval import Retriever
from rag.settings import GeneratorName, Settings

# C0 and C1 control characters, and lone surrogates (they cannot even be encoded as UTF-8):
# each becomes a space.
# Terminal colour and cursor codes pasted with a question ("\x1b[31m"): removed whole.
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Characters that render as nothing: zero-width spaces and joiners, soft hyphen, BOM, and the
# bidirectional embeddings, overrides and isolates. Deleted, as the indexer deletes them from
# article text, so "Kazakh\u200bstan" is one word again.
_INVISIBLE_RE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
# A link or a bare domain ("https://...", "www.x.com", "x.co.id/berita").
_URL_RE = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:[/?#]\S*)?",
    re.IGNORECASE,
)
_EMPTY = {
    "id": "Silakan tulis pertanyaan tentang berita di korpus.",
    "en": "Please type a question about the news in the corpus.",
}
_LINK_ONLY = {
    "id": "Asisten tidak membuka tautan. Tulis pertanyaan tentang berita di korpus.",
    "en": "The assistant does not open links. Please type a question about the news in the corpus.",
}
_CUT = {
    "id": "Pertanyaan dipotong menjadi {n} karakter pertama.",
    "en": "The question was cut to its first {n} characters.",
}
_FALLBACK = {
    "id": "Jawaban model tidak dapat diverifikasi terhadap sumber; berikut kutipan sumbernya.",
    "en": "The model's answer could not be verified against the sources; quoting them instead.",
}
_GEN_ERROR = {
    "id": "Model gagal menjawab ({error}); berikut kutipan sumbernya.",
    "en": "The model failed ({error}); quoting the sources instead.",
}


class Assistant:
    """Answers questions over the indexed corpus, in the asker's language, with citations."""

    def __init__(self, retriever: Retriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings
        self.sentence_vectors = SentenceVectors(retriever.stores.embedder)
        self._extractive = ExtractiveGenerator()
        self._warm_up = WarmUp(lambda: make_generator(self.settings).warm_up())

    @classmethod
    def load(cls, settings: Settings | None = None) -> Assistant:
        """Open the data dir of ``settings`` (default: environment); index the seeds if empty."""
        settings = settings or Settings()
        return cls(Retriever.load(settings), settings)

    def warm_up(self) -> None:
        """Start loading the default generator's model in the background (servers call this
        as they start, so the first question does not wait for the load)."""
        self._warm_up.start()

    def model_status(self) -> ModelStatus:
        """Whether the default generator's model is loading, ready or failed to load."""
        return self._warm_up.status

    # -- corpus ----------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        return self.retriever.documents()

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self.retriever.document(doc_id)

    def ingest(
        self, paths: Sequence[Path], prune: bool = False, progress: ProgressFn | None = None
    ) -> IngestReport:
        """Add or update articles from files/folders; they are answerable on return."""
        report = ingest(self.retriever.stores, list(paths), prune=prune, progress=progress)
        self.retriever.refresh()
        return report

    # -- answering -------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[Any] = (),
        *,
        generator: GeneratorName | None = None,
        top_k: int | None = None,
        filters: Filters | dict[str, Any] | None = None,
    ) -> Answer:
        """Answer ``question``; ``history`` holds earlier (role, text) turns."""
        final: Answer | None = None
        for item in self.stream(
            question, history, generator=generator, top_k=top_k, filters=filters
        ):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(
        self,
        question: str,
        history: Sequence[Any] = (),
        *,
        generator: GeneratorName | None = None,
        top_k: int | None = None,
        filters: Filters | dict[str, Any] | None = None,
    ) -> Iterator[str | Answer]:
        """Yield the answer's text as it passes the citation check, then the final ``Answer``.

        A model's answer comes a sentence at a time, each once the check has kept it (markers
        renumbered, unsupported sentences left out), so the deltas join to the final text.
        They do not when the model fails midway or, after writing text, says the sources do
        not hold the answer: the final answer then replaces what was shown.
        """
        started = time.perf_counter()
        timings: dict[str, float] = {}
        if not isinstance(question, str):
            raise TypeError(f"question must be a string, got {type(question).__name__}")
        text, was_cut = self._clean(question)
        notices: tuple[str, ...] = ()
        # Links say nothing about the asker's language ("www.x.com" would read as Indonesian).
        words = _URL_RE.sub(" ", text)
        language: Language = detect_language(words)
        if was_cut:
            notices = (_CUT[language].format(n=self.settings.max_question_chars),)
        link_only = _has_words(text) and not _has_words(words)
        if link_only or not _has_words(text):
            answer = Answer(
                question,
                (_LINK_ONLY if link_only else _EMPTY)[language],
                language,
                True,
                notices=notices,
                timings={"total_ms": _ms(started)},
            )
            yield answer.text
            yield answer
            return
        if isinstance(filters, dict):
            filters = Filters.from_dict(filters)
        turns = normalize_history(history, self.settings.history_turns)
        chosen = (
            make_generator(self.settings, generator)
            if (generator or self.settings.generator) != "extractive"
            else self._extractive
        )

        standalone = text
        if turns and is_followup(text, turns):
            t = time.perf_counter()
            standalone = self._condense(chosen, text, turns)
            timings["condense_ms"] = _ms(t)

        retrieval = self.retriever.search(standalone, k=top_k, filters=filters)
        timings["retrieve_ms"] = retrieval.timings["retrieve_ms"]
        t = time.perf_counter()
        selection = select_evidence(
            standalone,
            retrieval.query_vector,
            retrieval.passages,
            self.retriever.document,
            self.sentence_vectors,
            self.retriever.analyzer,
            self.settings.evidence_sentences,
            self.settings.evidence_max_chars,
            retrieval.terms,
            margin=self.settings.evidence_margin,
            context=self.settings.evidence_context,
            # A sentence telling the assistant to ignore its instructions is no evidence:
            # neither quoted nor shown to the model, nor taken along as a neighbour.
            excluded=is_injection,
        )
        evidence = selection.sentences
        timings["evidence_ms"] = _ms(t)
        passages = tuple(p.to_passage() for p in retrieval.passages)

        def finish(
            text_: str,
            refused: bool,
            citations: tuple[Citation, ...],
            name: str,
            extra: tuple[str, ...] = (),
        ) -> Answer:
            timings["total_ms"] = _ms(started)
            return Answer(
                question=question,
                text=text_,
                language=language,
                refused=refused,
                citations=citations,
                retrieved=passages,
                timings=dict(timings),
                standalone_question=standalone,
                generator=name,
                notices=notices + extra,
            )

        threshold = (
            self.settings.refusal_threshold_en
            if language == "en"
            else self.settings.refusal_threshold_id
        )
        absent = absent_entities(standalone, self.retriever.vocabulary())
        # The calibrated threshold (docs/DESIGN.md) on the best sentence similarity.
        if absent or not evidence or selection.relevance < threshold:
            yield REFUSAL[language]
            yield finish(REFUSAL[language], True, (), chosen.name)
            return

        request = GenerationRequest(
            # The standalone form: for a follow-up it names what the pronouns refer to.
            question=standalone,
            language=language,
            evidence=tuple(evidence),
            conflict=figures_conflict(standalone, evidence),
        )
        if not chosen.uses_llm:
            body, citations = self._quote(request)
            yield body
            yield finish(body, False, citations, chosen.name)
            return

        labelled = [f"{source_label(e, language)} {e.text}" for e in evidence]
        similarity = self._similarity_fn(evidence)
        verify_ms = 0.0

        def check(raw_: str) -> Verification:
            nonlocal verify_ms
            t_ = time.perf_counter()
            checked_ = verify_citations(
                raw_.strip(), labelled, language, similarity=similarity, question=standalone
            )
            verify_ms += (time.perf_counter() - t_) * 1000
            return checked_

        # Only checked sentences are shown, each once the next has begun (rag/checked_stream).
        held = CheckedStream(check)

        def show(text_: str) -> Iterator[str]:
            if text_:
                timings.setdefault("first_text_ms", _ms(started))
                yield text_

        t = time.perf_counter()
        try:
            for delta in chosen.stream(request):
                timings.setdefault("first_token_ms", _ms(started))
                yield from show(held.feed(delta))
        except GenerationError as exc:
            timings["generate_ms"] = _ms(t)
            body, citations = self._quote(request)
            yield from show(("\n\n" if held.shown else "") + body)
            notice = _GEN_ERROR[language].format(error=exc)
            yield finish(body, False, citations, "extractive", (notice,))
            return
        timings["generate_ms"] = _ms(t)
        if says_not_found(held.raw.strip()):
            yield from show(REFUSAL[language] if not held.shown else "")
            yield finish(REFUSAL[language], True, (), chosen.name)
            return
        checked, rest = held.close()
        timings["verify_ms"] = round(verify_ms, 2)
        if not checked.sentences:
            body, citations = self._quote(request)
            yield from show(body if not held.shown else "")
            yield finish(body, False, citations, "extractive", (_FALLBACK[language],))
            return
        yield from show(rest)
        citations = tuple(_citation(n, evidence[i]) for n, i in enumerate(checked.used, start=1))
        yield finish(checked.text, False, citations, chosen.name)

    # -- helpers ---------------------------------------------------------------------------
    def _clean(self, question: str) -> tuple[str, bool]:
        """Normalised question text, and whether it had to be cut to the length limit."""
        text = _CONTROL_RE.sub(" ", _ANSI_RE.sub(" ", question))
        text = unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text))
        text = re.sub(r"\s+", " ", text).strip()
        limit = self.settings.max_question_chars
        if len(text) <= limit:
            return text, False
        cut = text[:limit]
        if " " in cut[limit // 2 :]:
            cut = cut[: cut.rfind(" ")]
        return cut, True

    def _condense(self, chosen: Generator, question: str, turns: list[tuple[str, str]]) -> str:
        if chosen.uses_llm:
            try:
                rewritten = chosen.condense(question, turns)
            except GenerationError:
                rewritten = None
            if rewritten:
                return rewritten
        return rule_based_standalone(question, turns)

    def _similarity_fn(self, evidence: list[Evidence]):
        """Sentence -> similarity with each evidence sentence, computed once per sentence: a
        streamed answer is checked again as it grows, asking again about earlier sentences."""
        matrix = self.sentence_vectors.get([e.text for e in evidence])
        known: dict[str, list[float]] = {}

        def similarity(sentence: str) -> list[float]:
            if sentence not in known:
                query = np.asarray(self.retriever.embed_query(sentence), dtype=np.float32)
                known[sentence] = [float(x) for x in matrix @ query]
            return known[sentence]

        return similarity

    def _quote(self, request: GenerationRequest) -> tuple[str, tuple[Citation, ...]]:
        """The extractive answer for ``request`` with its citations."""
        body, used = self._extractive.compose(request)
        return body, tuple(_citation(n, request.evidence[i]) for n, i in enumerate(used, start=1))


def _citation(n: int, evidence: Evidence) -> Citation:
    return Citation(
        n=n,
        doc_id=evidence.doc_id,
        title=evidence.title,
        published=evidence.published,
        publisher=evidence.publisher,
        text=evidence.text,
        start=evidence.start,
        end=evidence.end,
    )


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 2)
