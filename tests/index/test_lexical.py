from __future__ import annotations

from pathlib import Path

import pytest

from index.lexical import LexicalHit, LexicalIndex, build_lexical_index

CORPUS = [
    ("a:0", ["rusuh", "almaty", "kazakhstan", "massa"]),
    ("a:1", ["pasu", "rusia", "kirim", "kazakhstan"]),
    ("b:0", ["blinken", "kecam", "tembak", "kazakhstan"]),
    ("c:0", ["harga", "cabai", "rawit", "naik", "pasar", "bandung"]),
]


def builds(root: Path) -> set[str]:
    return {e.name for e in root.iterdir() if e.is_dir()}


@pytest.fixture()
def index(tmp_path: Path) -> LexicalIndex:
    build_lexical_index(tmp_path / "bm25", CORPUS)
    return LexicalIndex(tmp_path / "bm25")


def test_loads_the_published_build(tmp_path: Path) -> None:
    version = build_lexical_index(tmp_path / "bm25", CORPUS)
    loaded = LexicalIndex(tmp_path / "bm25")
    assert loaded.version == version
    assert loaded.size == 4
    assert (tmp_path / "bm25" / "CURRENT").read_text() == version
    assert builds(tmp_path / "bm25") == {version}


def test_top_hit(index: LexicalIndex) -> None:
    hits = index.query(["blinken", "tembak"], k=3)
    assert [h.chunk_id for h in hits] == ["b:0"]
    assert hits[0].score > 0


def test_hits_are_ranked(index: LexicalIndex) -> None:
    hits = index.query(["rusia", "kazakhstan"], k=10)
    assert hits[0].chunk_id == "a:1"
    assert {h.chunk_id for h in hits[1:]} == {"a:0", "b:0"}  # tied: both only share "kazakhstan"
    assert hits[0].score > hits[1].score
    assert hits[1].score == pytest.approx(hits[2].score)


def test_k_limits_the_hits(index: LexicalIndex) -> None:
    assert [h.chunk_id for h in index.query(["rusia", "kazakhstan"], k=1)] == ["a:1"]


def test_allowed_restricts_the_hits(index: LexicalIndex) -> None:
    everything = index.query(["kazakhstan"], k=10)
    assert {h.chunk_id for h in everything} == {"a:0", "a:1", "b:0"}
    hits = index.query(["kazakhstan"], k=10, allowed=["b:0", "c:0"])
    assert [h.chunk_id for h in hits] == ["b:0"]
    assert hits[0].score == pytest.approx(next(h.score for h in everything if h.chunk_id == "b:0"))


def test_allowed_without_known_ids(index: LexicalIndex) -> None:
    assert index.query(["kazakhstan"], k=10, allowed=["zz:9"]) == []
    assert index.query(["kazakhstan"], k=10, allowed=[]) == []


def test_unknown_tokens(index: LexicalIndex) -> None:
    assert index.query(["tidakada"], k=5) == []
    assert index.query([], k=5) == []
    assert index.query(["tidakada", "cabai"], k=5) == [
        LexicalHit("c:0", index.query(["cabai"], k=1)[0].score)
    ]


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(index: LexicalIndex, k: int) -> None:
    with pytest.raises(ValueError, match=f"k must be positive, got {k}"):
        index.query(["kazakhstan"], k=k)


def test_empty_index(tmp_path: Path) -> None:
    version = build_lexical_index(tmp_path / "bm25", [])
    empty = LexicalIndex(tmp_path / "bm25")
    assert empty.version == version
    assert empty.size == 0
    assert empty.query(["kazakhstan"], k=5) == []


def test_nothing_published_yet(tmp_path: Path) -> None:
    missing = LexicalIndex(tmp_path / "absent")
    assert missing.version is None
    assert missing.size == 0
    assert missing.query(["kazakhstan"], k=5) == []
    assert not (tmp_path / "absent").exists()


def test_refresh_picks_up_a_new_build(tmp_path: Path) -> None:
    root = tmp_path / "bm25"
    first = build_lexical_index(root, CORPUS)
    index = LexicalIndex(root)
    second = build_lexical_index(root, [*CORPUS, ("d:0", ["kereta", "cepat", "bandung"])])
    assert index.version == first  # nothing changes until refresh()
    assert index.query(["kereta"], k=5) == []
    index.refresh()
    assert index.version == second
    assert index.size == 5
    assert [h.chunk_id for h in index.query(["kereta"], k=5)] == ["d:0"]


def test_refresh_without_a_new_build_keeps_the_index(index: LexicalIndex) -> None:
    version = index.version
    index.refresh()
    assert index.version == version
    assert index.size == 4


def test_refresh_after_everything_was_removed(tmp_path: Path) -> None:
    root = tmp_path / "bm25"
    build_lexical_index(root, CORPUS)
    index = LexicalIndex(root)
    build_lexical_index(root, [])
    index.refresh()
    assert index.size == 0
    assert index.query(["kazakhstan"], k=5) == []


def test_previous_build_is_kept_and_older_ones_removed(tmp_path: Path) -> None:
    root = tmp_path / "bm25"
    first = build_lexical_index(root, CORPUS[:1])
    second = build_lexical_index(root, CORPUS[:2])
    assert builds(root) == {first, second}
    third = build_lexical_index(root, CORPUS[:3])
    assert builds(root) == {second, third}
    fourth = build_lexical_index(root, CORPUS)
    assert builds(root) == {third, fourth}
    assert sorted(e.name for e in root.iterdir()) == sorted(["CURRENT", third, fourth])
    assert (root / "CURRENT").read_text() == fourth


def test_leftovers_of_an_interrupted_build_are_cleaned(tmp_path: Path) -> None:
    root = tmp_path / "bm25"
    build_lexical_index(root, CORPUS)
    (root / ".deadbeef.tmp").mkdir()
    (root / ".CURRENT.deadbeef.tmp").write_text("deadbeef")
    latest = build_lexical_index(root, CORPUS)
    assert not any(e.name.endswith(".tmp") for e in root.iterdir())
    assert LexicalIndex(root).version == latest
