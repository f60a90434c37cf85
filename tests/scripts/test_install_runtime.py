"""scripts/install_runtime.sh: llama.cpp compiled here, or the prebuilt wheel when it cannot be.

The real compile (minutes) is what `make run` does and is not repeated here; these tests take
the two ways it can fail: no compiler at all (a real install of the prebuilt wheel into a new
virtual environment, which must then run the model), and a build that breaks (a stand-in pip,
to check what the script asks of pip).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import venv
from pathlib import Path

import pytest

from rag.model_files import MODELS, ensure_model_file

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install_runtime.sh"
VERSION = "2026.10.11549"


def _pinned_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return text.split('"xllamacpp==', 1)[1].split('"', 1)[0]


def test_the_script_installs_the_version_pyproject_pins() -> None:
    assert _pinned_version() == VERSION
    assert "install_runtime.sh $(BIN)/pip $(XLLAMACPP_VERSION)" in (ROOT / "Makefile").read_text()


def _fake_pip(folder: Path, fail_build: bool) -> tuple[Path, Path]:
    """A pip that logs its arguments, and fails a --no-binary (source) install if told to."""
    calls = folder / "calls.log"
    pip = folder / "pip"
    pip.write_text(
        "#!/usr/bin/env bash\n"
        f'echo "$*" >> {calls}\n'
        f'if [[ "$*" == *--no-binary* ]]; then exit {1 if fail_build else 0}; fi\n'
        "exit 0\n"
    )
    pip.chmod(pip.stat().st_mode | stat.S_IEXEC)
    return pip, calls


def _tools(folder: Path, names: list[str]) -> Path:
    """A PATH folder holding stand-ins for ``names`` (plus what bash needs to run)."""
    folder.mkdir()
    for name in names:
        tool = folder / name
        tool.write_text("#!/bin/sh\nexit 0\n")
        tool.chmod(0o755)
    return folder


def _run(pip: Path, path: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path}
    return subprocess.run(
        ["/bin/bash", str(SCRIPT), str(pip), VERSION, str(tmp_path / "build.log")],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def test_a_failed_build_falls_back_to_the_prebuilt_wheel_with_one_line(tmp_path: Path) -> None:
    pip, calls = _fake_pip(tmp_path, fail_build=True)
    tools = _tools(tmp_path / "bin", ["cmake", "cc", "c++"])
    done = _run(pip, f"{tools}:/usr/bin:/bin", tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("llama.cpp: compiling it for this CPU")
    assert lines[1].startswith("llama.cpp: the build failed")
    assert "installing the prebuilt llama.cpp instead" in lines[1]
    asked = calls.read_text().splitlines()
    assert asked[0].startswith("install --no-binary xllamacpp xllamacpp==")
    assert asked[1] == f"install -qq --only-binary xllamacpp xllamacpp=={VERSION}"


def test_a_successful_build_is_all_it_does(tmp_path: Path) -> None:
    pip, calls = _fake_pip(tmp_path, fail_build=False)
    tools = _tools(tmp_path / "bin", ["cmake", "cc", "c++"])
    done = _run(pip, f"{tools}:/usr/bin:/bin", tmp_path)
    assert done.returncode == 0
    assert len(done.stdout.strip().splitlines()) == 1
    assert len(calls.read_text().splitlines()) == 1


@pytest.mark.slow
def test_without_a_compiler_the_prebuilt_wheel_installs_and_runs_the_model(
    tmp_path: Path,
) -> None:
    """A new virtual environment, a PATH with no compiler: one line, the prebuilt wheel (from
    PyPI or pip's cache), and that runtime loads the model and generates."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    no_compiler = _tools(tmp_path / "bin", [])
    done = _run(env_dir / "bin" / "pip", str(no_compiler), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    line = done.stdout.strip().splitlines()[0]
    assert line.startswith("llama.cpp: no cmake c++ cc on this machine to compile it")
    python = str(env_dir / "bin" / "python")
    info = subprocess.run(
        [python, "-c", "import xllamacpp; print(xllamacpp.get_system_info())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "AVX2 = 1" in info and "AVX512 = 1" not in info  # the prebuilt, portable build
    # the trial imports the rag package, whose only import-time dependency is lazy-loader
    subprocess.run(
        [str(env_dir / "bin" / "pip"), "install", "--quiet", "lazy-loader>=0.4,<1"], check=True
    )
    model = ensure_model_file(MODELS["qwen2.5-coder-0.5b"], ROOT / ".rag")
    request = {"model": str(model), "n_threads": 2, "config": {"extra_buffers": True}}
    trial = subprocess.run(
        [python, "-m", "rag.generators.runtime", "--trial", json.dumps(request)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
        check=False,
    )
    assert trial.returncode == 0, trial.stderr[-2000:]
    result = json.loads(trial.stdout.strip().splitlines()[-1])
    assert result["prompt_tps"] > 0 and result["generation_tps"] > 0
