"""All settings of the assistant: the index's plus retrieval, generation and answering.

One object, read from ``RAG_*`` environment variables or passed in (the CLI maps its flags
onto it); nothing below reads the environment on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr

from index.settings import IndexSettings

GeneratorName = Literal["bundled", "openai", "extractive"]

_PROJECT_SEEDS = Path(__file__).resolve().parents[1] / "seeds"


class Settings(IndexSettings):
    # retrieval
    top_k: int = Field(default=6, ge=1, le=50, description="Chunks passed to evidence selection.")
    candidates: int = Field(
        default=30, ge=1, le=500, description="Hits per retriever before fusion."
    )
    retrieval_mode: Literal["hybrid", "dense", "bm25"] = Field(
        default="hybrid", description="Fuse both rankings, or use one (for comparisons)."
    )
    rrf_k: int = Field(default=60, ge=0, description="Reciprocal rank fusion constant.")
    # BM25's weight in the fusion (dense has 1.0). An English question shares only names and
    # numbers with Indonesian text, so its lexical ranking is mostly noise: weight it down.
    lexical_weight_id: float = Field(default=1.0, ge=0.0, le=5.0)
    lexical_weight_en: float = Field(default=0.15, ge=0.0, le=5.0)
    # For a question that uses an acronym the articles define, a chunk that names the entity
    # only by its long form is ranked as if it wrote the acronym too (rag.acronyms).
    acronym_context: bool = True
    # A question about countries ("which countries ...?") also ranks the passages that list
    # three or more: that ranking's weight in the fusion (0 turns it off).
    country_list_weight: float = Field(default=0.5, ge=0.0, le=5.0)
    # evidence
    evidence_sentences: int = Field(default=4, ge=1, le=20)
    evidence_max_chars: int = Field(default=800, ge=100, le=8000)
    # How far below the best sentence's score a sentence may score and still go to the model
    # (a sentence with the expected answer type, a number for "how many", always may). One
    # that scores well below the best is loosely related at most (0.05-0.1 is the spread
    # between a relevant and a loosely related sentence, rag/evidence.py), and a small model
    # cites and restates what it is given. Measured on the gold set (docs/DESIGN.md,
    # "Evidence"): a fifth fewer sentences in the prompt, STR-EM and citation precision up.
    evidence_margin: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="Only sentences scoring within this of the best one go to the model.",
    )
    # Sentences of the same chunk on each side of a picked one that go with it to the model,
    # and make up the passage its citation points to: a lone sentence often leans on the one
    # before ("Pasukan itu ..." - which troops?). Measured on the gold set (docs/DESIGN.md,
    # "Evidence"): citation precision 0.436 -> 0.536, STR-EM unchanged; ~110 more prompt tokens
    # (median 295 -> 405), yet first-token p50 in the full eval went 7.3 s -> 6.5 s (run-to-run
    # spread on this machine is seconds).
    evidence_context: int = Field(
        default=1,
        ge=0,
        le=5,
        description="Neighbouring sentences on each side that go with each evidence sentence.",
    )
    # The budget for a question that asks for several things (`answer_types.asks_for_several`:
    # a list, two questions in one, a change over time): its answer is spread over more
    # sentences than the four a factoid needs.
    evidence_sentences_several: int = Field(default=6, ge=1, le=20)
    evidence_max_chars_several: int = Field(default=1200, ge=100, le=8000)
    evidence_margin_several: float = Field(default=0.1, ge=0.0, le=1.0)
    evidence_mode: Literal["sentences", "chunks"] = Field(
        default="sentences",
        description="The model reads the picked sentences with their neighbours, or their "
        "chunks whole.",
    )
    # Refusal: the best question-to-evidence-sentence cosine similarity below which nothing is
    # taken as relevant. Cross-lingual similarities (English question, Indonesian text) run
    # lower than same-language ones, hence two thresholds; calibrated on the gold set
    # (docs/DESIGN.md, "Refusal") between the unanswerable and answerable clusters: halfway,
    # for Indonesian, where the dev split leaves room (0.80 / 0.835). A threshold just under
    # the lowest answerable dev question refused "Berapa jumlah korban tewas menurut laporan
    # tanggal 8 Januari?" (0.825): a question's qualifiers lower its similarity.
    refusal_threshold_id: float = Field(default=0.82, ge=0.0, le=1.0)
    refusal_threshold_en: float = Field(default=0.78, ge=0.0, le=1.0)
    # How much closer the best evidence must be to the question than everyday off-topic text
    # is (rag/gate.py, BACKGROUND). The three were chosen together on the dev split (113
    # questions, 25 to refuse), for the most refusals at one false refusal in 88 at most
    # (docs/DESIGN.md, "Refusal"), each as far from both clusters as that allows.
    refusal_min_contrast: float = Field(default=0.01, ge=-1.0, le=1.0)
    # When nothing the model wrote holds up against the sources, an Indonesian asker gets the
    # best evidence quoted, if it holds at least this share of the question's terms (stems):
    # a quotation sharing less is about something else ("Protes di Kazakhstan mulai tanggal
    # berapa, dan kapan pasukan CSTO mulai masuk?" got Tokayev calling in the CSTO quoted) and
    # the answer is a refusal instead (docs/DESIGN.md, "Refusal").
    quote_min_share: float = Field(default=0.5, ge=0.0, le=1.0)
    # generation
    generator: GeneratorName = "bundled"
    model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = "qwen2.5-coder-1.5b"
    models_dir: Path | None = Field(
        default=None, description="Where the assembled model lives (default: <data_dir>/models)."
    )
    n_threads: int = Field(default=2, ge=1, le=64)
    # llama.cpp's extra buffer types (repacked weights, AMX). "off", the plain buffers, was
    # the fastest or within 2% of it on every machine measured (docs/DESIGN.md, "The llama.cpp
    # runtime"), and never crashed; on Intel Xeons with AMX, "on" kills the process. "auto"
    # tries both once per machine in child processes (about 23 s, at the first model load)
    # and keeps the faster one that does not crash (rag/generators/runtime.py).
    extra_buffers: Literal["auto", "on", "off"] = "off"
    n_ctx: int = Field(default=4096, ge=512, le=32768)
    max_tokens: int = Field(default=200, ge=16, le=2048)
    # llama.cpp's repetition penalty for the bundled model: 1.0 is none. A penalty also falls
    # on the names and figures of the sources and the question, which an answer must copy:
    # on the dev split, 1.1 gave STR-EM 0.307 and 1.0 gave 0.352 (factoids 0.43 -> 0.55),
    # with the same refusals. Loops are stopped by the stream's repetition guard instead.
    repeat_penalty: float = Field(default=1.0, ge=1.0, le=2.0)
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_api_key: SecretStr | None = None
    openai_timeout: float = Field(default=60.0, gt=0)
    # input
    max_question_chars: int = Field(default=1000, ge=20, le=100_000)
    history_turns: int = Field(default=6, ge=0, le=50)
    seeds_dir: Path = Field(
        default=_PROJECT_SEEDS, description="Corpus indexed when the store is empty."
    )
