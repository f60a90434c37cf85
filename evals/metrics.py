"""Scoring one answer (and one ranking) against a gold question, without an LLM judge.

Definitions are in ``evals/README.md`` (section Metrics); each function here implements one
of them and says which. Per-question values are ``None`` where a metric does not apply (an
answer metric on an unanswerable question, citation precision of an answer without
citations); ``mean`` skips those.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from evals.gold import GoldEvidence, GoldQuestion
from rag import Answer, Citation, Passage
from rag.markers import MARKER_RE, markers

# Our metric names and the ranx metric that computes each.
RETRIEVAL_METRICS: dict[str, str] = {
    "hit@1": "hit_rate@1",
    "hit@5": "hit_rate@5",
    "recall@5": "recall@5",
    "recall@10": "recall@10",
    "mrr@10": "mrr@10",
    "ndcg@10": "ndcg@10",
}
RANKING_DEPTH = 10
"""Passages ranked per question for the retrieval metrics (the largest cutoff above)."""

MAX_ALIAS_COMBINATIONS = 10_000
"""Beyond this many ways to pick one alias per group, token F1 picks per group greedily."""

_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RE = re.compile(r"\s+")
# A number written with thousands separators: 2.500, 2,500, 2 500, 1.000.000.
_GROUPED_NUMBER_RE = re.compile(r"(?<!\d)\d{1,3}(?:[., ]\d{3})+(?!\d)")
_NON_WORD_RE = re.compile(r"[^\w\s]|_")


# -- normalisation ---------------------------------------------------------------------------
def normalize_space(text: str) -> str:
    """Collapse every whitespace run (NBSP, newlines, tabs ...) to one space; drop zero-widths.

    Used for passage relevance, where case and punctuation still count.
    """
    return _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text)).strip()


def normalize_answer(text: str) -> str:
    """Answer-matching form: NFKC, case-folded, numbers unformatted, punctuation to spaces.

    ``"Sekitar 2.500 orang!"`` -> ``"sekitar 2500 orang"``; ``"2,500"`` and ``"2 500"`` give
    ``"2500"`` as well; ``"Kassym-Jomart"`` -> ``"kassym jomart"``.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _SPACE_RE.sub(" ", _ZERO_WIDTH_RE.sub("", text))
    text = _GROUPED_NUMBER_RE.sub(lambda m: re.sub(r"\D", "", m.group(0)), text)
    text = _NON_WORD_RE.sub(" ", text)
    return _SPACE_RE.sub(" ", text).strip()


def strip_markers(text: str) -> str:
    """The answer text without its citation markers ``[1]``, ``[1, 2]``."""
    return MARKER_RE.sub(" ", text)


# -- retrieval -------------------------------------------------------------------------------
def passage_is_relevant(doc_id: str, text: str, evidence: Iterable[GoldEvidence]) -> bool:
    """A passage is relevant when it holds a gold quote of its article (whitespace-normalised)."""
    haystack = normalize_space(text)
    return any(e.doc_id == doc_id and normalize_space(e.quote) in haystack for e in evidence)


def relevant_passages(
    questions: Iterable[GoldQuestion], pool: Sequence[Passage]
) -> dict[str, list[str]]:
    """Answerable question id -> ids of the passages of ``pool`` that are relevant to it."""
    return {
        q.id: [p.chunk_id for p in pool if passage_is_relevant(p.doc_id, p.text, q.evidence)]
        for q in questions
        if q.answerable
    }


def retrieval_scores(
    relevant: Mapping[str, Collection[str]],
    rankings: Mapping[str, Sequence[str]],
    metrics: Mapping[str, str] = RETRIEVAL_METRICS,
) -> dict[str, dict[str, float]]:
    """Per-question retrieval metrics computed by ranx: question id -> metric -> value.

    ``relevant`` maps a question id to the ids of its relevant passages (questions with none
    are left out: nothing can be found for them); ``rankings`` maps it to the passage ids
    retrieved, best first (a missing or empty ranking scores 0).
    """
    judged = {qid: set(ids) for qid, ids in relevant.items() if ids}
    if not judged:
        return {}
    from ranx import Qrels, Run, evaluate

    qrels = Qrels({qid: dict.fromkeys(ids, 1) for qid, ids in judged.items()})
    run_dict: dict[str, dict[str, float]] = {}
    for qid in judged:
        ranking = list(dict.fromkeys(rankings.get(qid, ())))
        # Strictly decreasing scores make ranx rank exactly in our order.
        run_dict[qid] = {pid: float(len(ranking) - i) for i, pid in enumerate(ranking)}
    run = Run(run_dict)
    names = list(metrics.values())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 -> int64 cast notices
        evaluate(qrels, run, names, return_mean=False, make_comparable=True)
    return {
        qid: {ours: float(run.scores[theirs][qid]) for ours, theirs in metrics.items()}
        for qid in judged
    }


# -- answers ---------------------------------------------------------------------------------
def matched_groups(answer: str, answers: Sequence[Sequence[str]]) -> list[bool]:
    """For each answer group: does one of its aliases occur in the answer (normalised)?

    An alias occurs from the start of a word, so a stem covers its longer forms ("return" in
    "returned") but "ria" is not found in "kementerian"; one that ends in a digit must end a
    word too ("26" is not in "2600", "5 januari" is not in "15 januari").
    """
    text = normalize_answer(strip_markers(answer))
    found = []
    for group in answers:
        aliases = [normalize_answer(a) for a in group]
        found.append(any(a and _occurs(a, text) for a in aliases))
    return found


def _occurs(alias: str, text: str) -> bool:
    end = r"(?!\w)" if alias[-1].isdigit() else ""
    return re.search(rf"(?<!\w){re.escape(alias)}{end}", text) is not None


def str_em(answer: str, answers: Sequence[Sequence[str]]) -> float:
    """STR-EM: 1.0 when every answer group is matched, else 0.0 (``answers`` must not be empty)."""
    if not answers:
        raise ValueError("STR-EM needs at least one answer group")
    return 1.0 if all(matched_groups(answer, answers)) else 0.0


def token_f1(answer: str, answers: Sequence[Sequence[str]]) -> float:
    """Token F1 of the answer against the best concatenation of one alias per group.

    Tokens are the space-separated words of ``normalize_answer`` (markers removed). For
    each way of picking one alias from every group, the reference is the picked aliases'
    tokens concatenated; the score is the best SQuAD-style F1 (multiset overlap) over all
    ways. With more than ``MAX_ALIAS_COMBINATIONS`` ways, each group takes the alias sharing
    most tokens with the answer (then the shortest, then the first listed).
    """
    if not answers:
        raise ValueError("token F1 needs at least one answer group")
    predicted = Counter(normalize_answer(strip_markers(answer)).split())
    groups = []
    for group in answers:
        options = list(dict.fromkeys(tuple(normalize_answer(a).split()) for a in group))
        groups.append([o for o in options if o] or [()])
    combinations = 1
    for options in groups:
        combinations *= len(options)
    if combinations > MAX_ALIAS_COMBINATIONS:
        groups = [[_closest(options, predicted)] for options in groups]
    best = 0.0
    for picked in itertools.product(*groups):
        reference = Counter(token for alias in picked for token in alias)
        best = max(best, _f1(predicted, reference))
    return best


def _closest(options: list[tuple[str, ...]], predicted: Counter[str]) -> tuple[str, ...]:
    return max(
        enumerate(options),
        key=lambda item: (sum((Counter(item[1]) & predicted).values()), -len(item[1]), -item[0]),
    )[1]


def _f1(predicted: Counter[str], reference: Counter[str]) -> float:
    overlap = sum((predicted & reference).values())
    if overlap == 0:
        return 0.0
    precision = overlap / sum(predicted.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


# -- language of the answer -----------------------------------------------------------------
def indonesian_words(answer: str) -> list[str]:
    """The untranslated Indonesian words of an English answer: words common in Indonesian
    and rare in English (wordfreq), outside quotation marks (a marked quotation is kept in
    the original on purpose); capitalised ones only as a gazetteer form ("Presiden") or two
    or more in a row ("Dalam Negeri"), since one alone may be a name.
    ``rag.language.indonesian_words`` with quotations left out: the same check the assistant
    uses to decide to translate."""
    from rag.language import indonesian_words as found

    return found(strip_markers(answer), in_quotes=False)


# -- citations -------------------------------------------------------------------------------
def quote_spans(quote: str, raw: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` at which ``quote`` occurs verbatim in ``raw``."""
    spans: list[tuple[int, int]] = []
    if not quote:
        return spans
    position = raw.find(quote)
    while position != -1:
        spans.append((position, position + len(quote)))
        position = raw.find(quote, position + 1)
    return spans


def citation_supports(citation: Citation, evidence: GoldEvidence, raw: str | None) -> bool:
    """Does the citation hold the gold quote?

    Same article, and either its span ``[start, end)`` overlaps an occurrence of the quote in
    the raw article, or its text contains the quote (whitespace-normalised).
    """
    if citation.doc_id != evidence.doc_id:
        return False
    if raw is not None:
        for start, end in quote_spans(evidence.quote, raw):
            if citation.start < end and start < citation.end:
                return True
    return normalize_space(evidence.quote) in normalize_space(citation.text)


def citation_precision(
    citations: Sequence[Citation], evidence: Sequence[GoldEvidence], articles: Mapping[str, str]
) -> float | None:
    """Share of the citations that hold some gold quote; ``None`` without citations."""
    if not citations:
        return None
    good = sum(
        any(citation_supports(c, e, articles.get(e.doc_id)) for e in evidence) for c in citations
    )
    return good / len(citations)


def citation_recall(
    citations: Sequence[Citation], evidence: Sequence[GoldEvidence], articles: Mapping[str, str]
) -> float:
    """Share of the gold quotes held by some citation (0.0 without citations)."""
    if not evidence:
        raise ValueError("citation recall needs at least one gold quote")
    covered = sum(
        any(citation_supports(c, e, articles.get(e.doc_id)) for c in citations) for e in evidence
    )
    return covered / len(evidence)


def dangling_markers(text: str, citations: Sequence[Citation]) -> tuple[int, int]:
    """``(markers pointing to no citation, all markers)`` in the answer text."""
    numbers = {c.n for c in citations}
    found = markers(text)
    return sum(n not in numbers for n in found), len(found)


# -- aggregation -----------------------------------------------------------------------------
def mean(values: Iterable[float | bool | None]) -> float | None:
    """Mean of the values that are not ``None``; ``None`` when there are none."""
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def percentiles(values: Sequence[float], qs: Sequence[float] = (50, 95)) -> dict[str, float]:
    """``{"p50": ..., "p95": ...}`` with numpy's default (linear interpolation) percentiles."""
    if not values:
        raise ValueError("percentiles of no values")
    array = np.asarray(values, dtype=float)
    return {f"p{q:g}": float(np.percentile(array, q)) for q in qs}


def latency(timings: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Per stage (``total_ms``, ``retrieve_ms`` ...): p50, p95 and the number of answers timed.

    A stage counts only the answers that report it (``condense_ms`` exists for follow-ups).
    """
    stages: dict[str, list[float]] = {}
    for timing in timings:
        for stage, value in timing.items():
            stages.setdefault(stage, []).append(float(value))
    return {
        stage: {**percentiles(values), "n": float(len(values))}
        for stage, values in sorted(stages.items())
    }


# -- one question ----------------------------------------------------------------------------
FAILURE_CAUSES = (
    "retrieval_miss",
    "false_refusal",
    "evidence_selection",
    "answer_mismatch",
    "missed_refusal",
)
"""Why a question failed, in the order they are checked (see ``failure_cause``)."""


def answer_scores(
    question: GoldQuestion, answer: Answer, articles: Mapping[str, str]
) -> dict[str, float | None]:
    """The answer-side scores of one question (retrieval scores come from a ranking).

    Answer and citation metrics apply to answerable questions only; a refused answer scores
    0 on them (citation precision stays ``None``: nothing was cited).
    """
    dangling, total = dangling_markers(answer.text, answer.citations)
    scores: dict[str, float | None] = {
        "str_em": None,
        "token_f1": None,
        "citation_precision": None,
        "citation_recall": None,
        "dangling_markers": float(dangling),
        "markers": float(total),
        "refused": float(answer.refused),
        "language_match": float(answer.language == question.language),
        "indonesian_in_english": None,
    }
    if question.language == "en" and not answer.refused and answer.text.strip():
        scores["indonesian_in_english"] = float(bool(indonesian_words(answer.text)))
    if question.answerable:
        refused = answer.refused
        scores["str_em"] = 0.0 if refused else str_em(answer.text, question.answers)
        scores["token_f1"] = 0.0 if refused else token_f1(answer.text, question.answers)
        scores["citation_precision"] = citation_precision(
            answer.citations, question.evidence, articles
        )
        scores["citation_recall"] = citation_recall(answer.citations, question.evidence, articles)
    return scores


def failure_cause(
    question: GoldQuestion, scores: Mapping[str, float | None], evidence_retrieved: bool | None
) -> str | None:
    """The first reason, in ``FAILURE_CAUSES`` order, that the question was missed, or ``None``.

    An answerable question fails when it is refused or STR-EM is 0; an unanswerable one when
    it is not refused. ``evidence_retrieved`` says whether any passage the answer was built
    from holds a gold quote (``None``: no passage of the system holds one, so it cannot be
    told). Causes: ``retrieval_miss`` (none did), ``false_refusal``, ``evidence_selection``
    (no citation holds a gold quote), ``answer_mismatch`` (gold evidence is cited but an
    answer group is missing from the text), ``missed_refusal``.
    """
    refused = bool(scores.get("refused"))
    if not question.answerable:
        return None if refused else "missed_refusal"
    if not refused and scores.get("str_em") == 1.0:
        return None
    if evidence_retrieved is False:
        return "retrieval_miss"
    if refused:
        return "false_refusal"
    if not scores.get("citation_recall"):
        return "evidence_selection"
    return "answer_mismatch"
