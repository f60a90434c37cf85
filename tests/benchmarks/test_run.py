"""benchmarks.run: its record of the code it measured, and its arguments."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from benchmarks import run


def test_code_version_names_every_changed_file_including_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)

    git("init", "-q")
    for name in ("index/a.py", "rag/b.py", "notes.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("one\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "first")
    for name in ("index/a.py", "rag/b.py", "notes.txt"):
        (tmp_path / name).write_text("two\n")
    monkeypatch.setattr(run, "ROOT", tmp_path)
    version = run.code_version()
    assert len(version["commit"]) >= 7
    # " M index/a.py" is git's first line: its leading space must survive.
    assert version["uncommitted"] == ["index/a.py", "rag/b.py"]


def test_every_size_goes_through_the_chroma_server_unless_told_otherwise() -> None:
    assert run.parse_args(["--sizes", "1000,10000"]).server_sizes == [1000, 10000]
    told = run.parse_args(["--sizes", "1000,10000", "--server-sizes", "10000"])
    assert told.server_sizes == [10000]
