"""The assistant: a question goes through the answering stages, one after the other.

    prepare   rag.question.QuestionPreparer   clean, language, nonsense, small talk,
                                              follow-up                            -> Question
    retrieve  rag.retrieval.Retriever         dense + BM25, fused                  -> Retrieval
    select    rag.evidence.EvidenceSelector   what the model reads                 -> Selection
    gate      rag.gate.RelevanceGate          refuse now, or go on                 -> GateDecision
    generate  rag.generators                  the model's answer, streamed         -> text
    verify    rag.citations.CitationChecker   every sentence backed by its source  -> Verification
    compose   rag.compose                     the Answer, with its citations       -> Answer

A question that asks two things ("..., dan kapan ...?") is asked as two after prepare
(``rag.compound``), each part through the stages that follow, and the answers joined.

Each stage is an object built from the settings, with one ``run`` and a typed result; a
``Trace`` records their timings. ``Assistant.events`` is their composition, and tells the
caller what it is doing as it goes (``Progress``); ``stream`` and ``ask`` are views of it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict, Unpack

import numpy as np

from index import DocumentRecord, IngestReport
from index.ingest import ProgressFn, ingest
from rag.answer import Answer, Passage, Progress
from rag.answer_types import answered_in_one_sentence, asks_for_several
from rag.checked_stream import CheckedStream
from rag.citations import CitationChecker, Verification, first_sentence, render_sentences
from rag.compose import citations_for, compose, compose_stop, quote_answer
from rag.compound import joined, renumbered, split_compound
from rag.evidence import EvidenceSelector, Selection, SentenceVectors
from rag.filters import Filters
from rag.followups import Turn
from rag.gate import Background, GateDecision, RelevanceGate
from rag.generators.base import GenerationRequest, Generator
from rag.generators.errors import GenerationError
from rag.generators.extractive import ExtractiveGenerator
from rag.generators.factory import make_generator
from rag.generators.warmup import ModelStatus, WarmUp
from rag.messages import message
from rag.overview import corpus_overview
from rag.question import Condense, Question, QuestionPreparer, Stop
from rag.quoting import quote_answers
from rag.refusal import says_not_found
from rag.retrieval import Retrieval, Retriever
from rag.scope import QuestionScope
from rag.settings import GeneratorName, Settings
from rag.trace import Trace
from rag.translation import Translator, first_untranslated

Event = Progress | str | Answer
"""What ``Assistant.events`` yields: progress, checked answer text, then the final Answer."""


class AskOptions(TypedDict, total=False):
    """The per-question options of ``ask``, ``stream`` and ``events``."""

    generator: GeneratorName | None
    top_k: int | None
    filters: Filters | dict[str, Any] | None


class Selector(Protocol):
    """Stage 3: the evidence the model reads (``rag.evidence.EvidenceSelector``)."""

    def run(self, question: str, retrieval: Retrieval) -> Selection: ...


class Gate(Protocol):
    """Stage 4: refuse or go on (``rag.gate.RelevanceGate``)."""

    def run(
        self, question: Question, retrieval: Retrieval, selection: Selection
    ) -> GateDecision: ...


class Assistant:
    """Answers questions over the indexed corpus, in the asker's language, with citations."""

    def __init__(
        self,
        retriever: Retriever,
        settings: Settings,
        *,
        select: Selector | None = None,
        gate: Gate | None = None,
    ) -> None:
        """``select`` and ``gate`` replace those stages (the eval's oracle does)."""
        self.retriever = retriever
        self.settings = settings
        embedder = retriever.stores.embedder
        self.sentence_vectors = SentenceVectors(embedder)
        self.prepare = QuestionPreparer(
            settings.max_question_chars,
            settings.history_turns,
            retriever.vocabulary,
            overview=lambda language: corpus_overview(retriever.documents(), language),
        )
        self.scope = QuestionScope(retriever.documents)
        self.select: Selector = select or EvidenceSelector.from_settings(
            settings, retriever.document, self.sentence_vectors, retriever.analyzer
        )
        self.gate: Gate = gate or RelevanceGate(
            settings.refusal_threshold_id,
            settings.refusal_threshold_en,
            settings.refusal_min_contrast,
            Background(lambda texts: np.asarray(embedder.get_text_embedding_batch(list(texts)))),
            retriever.lexicon,
        )
        self.verify = CitationChecker(self.sentence_vectors, retriever.embed_query)
        self._extractive = ExtractiveGenerator()
        self._warm_up = WarmUp(self._load_default_generator)

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
        self, question: str, history: Sequence[Any] = (), **options: Unpack[AskOptions]
    ) -> Answer:
        """Answer ``question``; ``history`` holds the conversation's earlier turns: (role,
        text) pairs, {"role", "content"} dicts, chat messages or (question, answer) pairs
        (``rag.followups.normalize_history``)."""
        for item in self.events(question, history, **options):
            if isinstance(item, Answer):
                return item
        raise AssertionError("events() ends with an Answer")

    def stream(
        self, question: str, history: Sequence[Any] = (), **options: Unpack[AskOptions]
    ) -> Iterator[str | Answer]:
        """The answer's text as it passes the citation check, then the final ``Answer``.

        The deltas join to the final text, except when the model fails midway or, after
        writing text, says the sources do not hold the answer: the final answer then
        replaces what was shown.
        """
        for item in self.events(question, history, **options):
            if not isinstance(item, Progress):
                yield item

    def events(
        self,
        question: str,
        history: Sequence[Any] = (),
        *,
        generator: GeneratorName | None = None,
        top_k: int | None = None,
        filters: Filters | dict[str, Any] | None = None,
    ) -> Iterator[Event]:
        """Progress as the stages run, then the checked text, then the final ``Answer``.

        ``generator`` and ``top_k`` override the settings for this question; ``filters``
        restrict the articles searched (``rag.Filters`` or its dict form).
        """
        yield from self._events(question, history, generator, top_k, filters, whole=True)

    def _events(
        self,
        question: str,
        history: Sequence[Any],
        generator: GeneratorName | None,
        top_k: int | None,
        filters: Filters | dict[str, Any] | None,
        *,
        whole: bool,
    ) -> Iterator[Event]:
        """``events``; ``whole``: the question as asked, which may be asked in two parts."""
        trace = Trace()
        if isinstance(filters, dict):
            filters = Filters.from_dict(filters)
        chosen = self._generator(generator)
        with trace.stage("prepare"):
            prepared = self.prepare.run(question, history, self._condenser(chosen, trace))
        if isinstance(prepared, Stop):
            answer = compose_stop(question, prepared, trace, chosen.name)
            yield answer.text
            yield answer
            return
        parts = split_compound(prepared.answered) if whole else None
        if parts is not None:
            yield from self._in_parts(
                trace, question, prepared, parts, history, generator, top_k, filters
            )
            return
        q, filters = self.scope.run(prepared, filters)
        yield Progress("searching")
        with trace.stage("retrieve"):
            retrieval = self.retriever.search(q.searched, k=top_k, filters=filters)
        passages = tuple(p.to_passage() for p in retrieval.passages)
        with trace.stage("evidence"):
            selection = self.select.run(q.searched, retrieval)
        decision = self.gate.run(q, retrieval, selection)
        if not decision.go:
            yield Progress("reading", passages, 0)
            yield from self._refuse(q, passages, trace, chosen.name)
            return
        request = GenerationRequest(
            question=q.answered,  # a follow-up made whole, or as written (``Question``)
            language=q.language,
            evidence=tuple(selection.evidence),
            conflict=selection.conflict,
            several=asks_for_several(q.answered),
            one_sentence=answered_in_one_sentence(q.answered, selection.conflict),
        )
        yield Progress("reading", passages, len(request.evidence))
        if not chosen.uses_llm:
            yield from self._quote(q, request, passages, trace, chosen.name)
            return
        loading = self.model_status().state == "loading" and generator in (None, "bundled")
        yield Progress("loading_model" if loading else "writing", passages, len(request.evidence))
        yield from self._generate(chosen, q, request, passages, trace)

    def _in_parts(
        self,
        trace: Trace,
        asked: str,
        q: Question,
        parts: tuple[str, str],
        history: Sequence[Any],
        generator: GeneratorName | None,
        top_k: int | None,
        filters: Filters | None,
    ) -> Iterator[Event]:
        """A question that asks two things (``rag.compound``), asked as two: the second after
        the first, as its follow-up. Each part's text is held until its answer is final (a
        refused part says nothing), then shown with its markers numbered on."""
        answers: list[Answer] = []
        turns = list(history)
        shown = False
        for part in parts:
            answer: Answer | None = None
            for item in self._events(part, turns, generator, top_k, filters, whole=False):
                if isinstance(item, Progress):
                    if not shown:  # after text, a status would take the text's place
                        yield item
                elif isinstance(item, Answer):
                    answer = item
            assert answer is not None  # _events ends with an Answer
            answers.append(answer)
            turns = [*turns, ("user", part), ("assistant", answer.text)]
            if not answer.refused:
                offset = sum(len(a.citations) for a in answers[:-1] if not a.refused)
                trace.mark("first_text")
                yield (" " if shown else "") + renumbered(answer.text, offset)
                shown = True
        whole = joined(asked, q.standalone, answers, q.notices)
        if not shown:
            trace.mark("first_text")
            yield whole.text
        # the first token, text and total as the asker saw them; each stage's time over all
        if "first_token_ms" in answers[0].timings:  # the first part began as prepare ended
            begun = trace.timings().get("prepare_ms", 0.0)
            trace.mark("first_token", begun + answers[0].timings["first_token_ms"])
        for answer in answers:
            for key, ms in answer.timings.items():
                if key not in ("first_token_ms", "first_text_ms", "total_ms"):
                    trace.add(key.removesuffix("_ms"), ms)
        yield replace(whole, timings=trace.timings())

    # -- the stages after the gate ----------------------------------------------------------
    def _generate(
        self,
        chosen: Generator,
        q: Question,
        request: GenerationRequest,
        passages: tuple[Passage, ...],
        trace: Trace,
    ) -> Iterator[Event]:
        """Stream the model's answer a checked sentence at a time, then the final Answer, with
        what the model wrote before the check as its ``draft``."""
        check = self.verify.for_evidence(request.evidence, q.language, q.answered, trace)
        english = q.language == "en" and chosen.uses_llm
        held = CheckedStream(check, _until_untranslated if english else None)
        for event in self._checked(chosen, q, request, passages, trace, held):
            yield replace(event, draft=held.raw) if isinstance(event, Answer) else event

    def _checked(
        self,
        chosen: Generator,
        q: Question,
        request: GenerationRequest,
        passages: tuple[Passage, ...],
        trace: Trace,
        held: CheckedStream,
    ) -> Iterator[Event]:
        english = q.language == "en" and chosen.uses_llm
        stream = chosen.stream(request)
        try:
            with trace.stage("generate"):
                for delta in stream:
                    trace.mark("first_token")
                    shown = held.feed(delta)
                    if shown:
                        trace.mark("first_text")
                        yield shown
                    if request.one_sentence and held.settled_sentences:
                        break  # the answer is its first checked sentence: the model can stop
        except GenerationError as exc:
            notice = message("generator_failed", q.language, error=exc)
            yield from self._quote(q, request, passages, trace, "extractive", (notice,), held.shown)
            return
        finally:
            _close(stream)
        if says_not_found(held.raw, [e.text for e in request.evidence]):
            yield from self._refuse(q, passages, trace, chosen.name, shown=held.shown)
            return
        verification = held.close()
        if request.one_sentence:
            verification = first_sentence(verification)
        if english and first_untranslated(verification) is not None:
            with trace.stage("translate"):
                verification = Translator(chosen.complete).run(verification, held.check)
        if not verification.sentences:
            # Nothing the model wrote holds up against the sources. An Indonesian asker gets
            # the best evidence quoted (often the answer, in their language) when it is about
            # what was asked; an English asker would get an Indonesian quotation, which
            # answers no one: the answer is that the sources found confirm nothing (on dev,
            # 0 of 6 such quotes held an English answer).
            if q.language == "en" or not self._quote_answers(q, request):
                yield from self._refuse(q, passages, trace, chosen.name, held.shown, "unconfirmed")
                return
            notice = message("unverified", q.language)
            yield from self._quote(q, request, passages, trace, "extractive", (notice,), held.shown)
            return
        rest = held.finish(verification.text)
        if rest:
            trace.mark("first_text")
            yield rest
        citations = citations_for(verification.used, request.evidence)
        yield compose(q, verification.text, trace, chosen.name, passages, citations=citations)

    def _quote(
        self,
        q: Question,
        request: GenerationRequest,
        passages: tuple[Passage, ...],
        trace: Trace,
        name: str,
        notices: tuple[str, ...] = (),
        shown: str = "",
    ) -> Iterator[Event]:
        """The extractive answer: the best evidence quoted, cited."""
        body, citations = quote_answer(self._extractive, request)
        trace.mark("first_text")
        yield ("\n\n" if shown else "") + body
        yield compose(q, body, trace, name, passages, citations=citations, notices=notices)

    def _quote_answers(self, q: Question, request: GenerationRequest) -> bool:
        """Is the quotation ``_quote`` would give about the question (``rag.quoting``)?"""
        quoted = " ".join(e.text for _, e in self._extractive.quotes(request))
        return quote_answers(
            q.answered, quoted, self.retriever.analyzer, self.settings.quote_min_share
        )

    def _refuse(
        self,
        q: Question,
        passages: tuple[Passage, ...],
        trace: Trace,
        name: str,
        shown: str = "",
        why: Literal["not_found", "unconfirmed"] = "not_found",
    ) -> Iterator[Event]:
        text = message("refusal" if why == "not_found" else why, q.language)
        if not shown:
            trace.mark("first_text")
            yield text
        yield compose(q, text, trace, name, passages, refused=why)

    # -- helpers ---------------------------------------------------------------------------
    def _generator(self, name: GeneratorName | None) -> Generator:
        if (name or self.settings.generator) == "extractive":
            return self._extractive
        return make_generator(self.settings, name)

    def _load_default_generator(self) -> str:
        """What the first question would otherwise wait for: the language detectors, the
        vector store's first query (about 0.4 s with local Chroma) and the model."""
        from rag.language import preload

        preload()
        # Any words: the first query opens the store. Only a head start: a store that fails
        # here fails the first question with its own message, not the model's status.
        with contextlib.suppress(Exception):
            self.retriever.search("berita")
        return make_generator(self.settings).warm_up()

    @staticmethod
    def _condenser(chosen: Generator, trace: Trace) -> Condense:
        """The model's rewrite of a follow-up (None: use the rule-based one)."""

        def condense(question: str, turns: list[Turn]) -> str | None:
            if not chosen.uses_llm:
                return None
            with trace.stage("condense"):
                try:
                    return chosen.condense(question, turns)
                except GenerationError:
                    return None

        return condense


def _close(stream: Iterator[str]) -> None:
    """Close a model's stream that was left before its end: a generator's ``close`` runs
    down to the engine's request, which then stops writing (``BundledLLM._stream_request``)."""
    close = getattr(stream, "close", None)
    if callable(close):
        close()


def _until_untranslated(verification: Verification) -> str:
    """The checked text up to its first sentence that still needs translating."""
    first = first_untranslated(verification)
    if first is None:
        return verification.text
    kept = verification.sentences[:first]
    used = sorted({i for s in kept for i in s.sources}, key=list(verification.used).index)
    return render_sentences(kept, used)


__all__ = ["Assistant", "Event", "Selection"]
