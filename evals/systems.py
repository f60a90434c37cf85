"""The systems an eval can compare, by name, and how to build them around one assistant.

- ``ours``: the assistant as it is.
- ``oracle``: ours, shown the gold evidence (evals/oracle.py): what the generator loses.
- ``naive``: llama-index defaults over the raw files (evals/baselines.py).
- ``plain``: our retrieval's top chunks whole with a plain prompt (evals/plain.py).
- ``bm25`` / ``dense``: ours with one retriever (evals/baselines.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast

from evals.baselines import NaiveSystem, PipelineSystem, System, single_retriever_assistant
from evals.gold import GoldQuestion
from evals.oracle import OracleSystem
from evals.plain import PlainSystem
from rag import Assistant, GeneratorName

SystemName = Literal["ours", "oracle", "naive", "plain", "bm25", "dense"]
SYSTEMS: tuple[SystemName, ...] = ("ours", "oracle", "naive", "plain", "bm25", "dense")
DEFAULT_SYSTEMS: tuple[SystemName, ...] = ("ours", "oracle", "naive", "plain")
"""What ``rag eval`` compares unless told otherwise (bm25 and dense are retrieval ablations)."""


def build_systems(
    names: Sequence[str],
    assistant: Assistant,
    generator: GeneratorName,
    questions: Sequence[GoldQuestion] = (),
) -> list[System]:
    """The systems called ``names``, in that order, around ``assistant`` (the oracle needs
    the gold ``questions``)."""
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        raise ValueError(
            f"unknown system(s) {', '.join(unknown)}: choose from {', '.join(SYSTEMS)}"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"a system is listed twice in {', '.join(names)}")
    systems: list[System] = []
    for name in names:
        if name == "ours":
            systems.append(PipelineSystem("ours", assistant, generator))
        elif name == "oracle":
            systems.append(OracleSystem(assistant, generator, questions))
        elif name == "plain":
            systems.append(PlainSystem(assistant, generator))
        elif name in ("bm25", "dense"):
            keep = cast(Literal["bm25", "dense"], name)
            systems.append(
                PipelineSystem(name, single_retriever_assistant(assistant, keep), generator)
            )
        else:
            embedder = assistant.retriever.stores.embedder
            systems.append(NaiveSystem(assistant.settings, embedder, generator))
    return systems
