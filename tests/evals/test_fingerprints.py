"""What a system's fingerprint takes in, so that ``--reuse`` re-asks exactly what changed."""

from __future__ import annotations

from pathlib import Path

from evals.fingerprints import fingerprint
from rag import Settings


def _settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(data_dir=tmp_path / "data", generator="extractive", **changes)  # type: ignore[arg-type]


def test_a_refusal_or_evidence_setting_counts_only_for_systems_that_run_those_stages(
    tmp_path: Path,
) -> None:
    before, after = _settings(tmp_path), _settings(tmp_path, refusal_threshold_id=0.5)
    wider = _settings(tmp_path, evidence_sentences=8)
    sources = ("evals/plain.py",)

    def ours(s: Settings) -> str:
        return fingerprint("ours", "extractive", s, sources)

    def plain(s: Settings) -> str:
        return fingerprint("plain", "extractive", s, sources, assistant_stages=False)

    assert ours(before) != ours(after) and ours(before) != ours(wider)
    assert plain(before) == plain(after) == plain(wider)


def test_a_retrieval_setting_counts_for_every_system(tmp_path: Path) -> None:
    before, after = _settings(tmp_path), _settings(tmp_path, rrf_k=1)
    for stages in (True, False):
        assert fingerprint("s", "extractive", before, (), stages) != fingerprint(
            "s", "extractive", after, (), stages
        )


def test_where_things_are_is_not_what_answers_depend_on(tmp_path: Path) -> None:
    here = _settings(tmp_path)
    there = Settings(data_dir=tmp_path / "elsewhere", generator="extractive")
    assert fingerprint("s", "extractive", here, ()) == fingerprint("s", "extractive", there, ())
