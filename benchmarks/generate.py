"""Build synthetic ML repositories from realistic parts, with real git history.

    python benchmarks/generate.py large /tmp/bench/large

Parts: a `src/` package of feature, model, training and serving modules (imports, classes,
branches, loops), pytest modules that import them, data-table modules (one long multi-line
literal each, the shape that makes radon's raw analysis quadratic), notebooks with
outputs (stream text, tables and PNG images), and configs (YAML, TOML, Dockerfiles, CI
workflows, DVC, Kubernetes, Makefile, Markdown). The history is written with
`git fast-import`: files arrive over the commits, some first as a draft that a later
commit finishes, by several authors over months. Output is deterministic for a size.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Size:
    python: int
    notebooks: int
    configs: int
    commits: int

    @property
    def files(self) -> int:
        return self.python + self.notebooks + self.configs


SIZES = {
    "small": Size(python=38, notebooks=5, configs=7, commits=20),
    "large": Size(python=5_000, notebooks=500, configs=200, commits=2_000),
    "huge": Size(python=17_544, notebooks=1_754, configs=702, commits=7_000),
}

AUTHORS = [
    ("Ada Learner", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Alan Turing", "alan@example.com"),
]
START = 1_700_000_000  # 2023-11-14
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
TOPICS = ["churn", "fraud", "forecast", "ranking", "vision", "nlp", "pricing", "uplift"]
LIBS = [
    "import numpy as np",
    "import pandas as pd",
    "from sklearn.ensemble import GradientBoostingClassifier",
    "from sklearn.model_selection import train_test_split",
    "import mlflow",
    "import pandera as pa",
    "from scipy import stats",
]


# python parts -------------------------------------------------------------------------------
def code_module(rng: random.Random, package: str, index: int, siblings: list[str]) -> str:
    imports = rng.sample(LIBS, 3)
    local = (
        [f"from {package}.{rng.choice(siblings)} import helper_{rng.randrange(4)}"]
        if siblings
        else []
    )
    body = [
        f'"""Feature and model code, part {index}: transforms for the {package} project."""',
        "",
        "from __future__ import annotations",
        "",
        *sorted(imports),
        *local,
        "",
        f"THRESHOLD_{index} = {rng.uniform(0, 1):.3f}",
        "",
    ]
    for helper in range(4):
        body += _function(rng, f"helper_{helper}", depth=rng.randrange(1, 4))
    body += _class(rng, f"Transform{index}", methods=rng.randrange(2, 6))
    return "\n".join(body) + "\n"


def _function(rng: random.Random, name: str, *, depth: int) -> list[str]:
    lines = [
        f"def {name}(frame, column: str = 'value', limit: int = {rng.randrange(5, 500)}):",
        f'    """Clean `column` and clip it at `limit` ({rng.randrange(1000)})."""',
        "    result = []",
        "    for row in frame:",
    ]
    indent = "        "
    for level in range(depth):
        lines.append(f"{indent}if row.get(column, 0) > limit * {level + 1}:")
        lines.append(f"{indent}    result.append(row[column] - {rng.randrange(100)})")
        lines.append(f"{indent}elif row.get(column) is None:")
        lines.append(f"{indent}    continue")
        indent += "    "
    lines += [
        f"{indent}result.append(row.get(column, {rng.randrange(10)}))",
        "    # keep the order stable for the downstream join",
        "    return sorted(result) if len(result) > 1 else result",
        "",
        "",
    ]
    return lines


def _class(rng: random.Random, name: str, *, methods: int) -> list[str]:
    lines = [
        f"class {name}:",
        f'    """A fitted transform with {methods} steps."""',
        "",
        "    def __init__(self, scale: float = 1.0) -> None:",
        "        self.scale = scale",
        "        self.fitted = False",
        "",
    ]
    for method in range(methods):
        lines += [
            f"    def step_{method}(self, values):",
            "        out = []",
            "        for value in values:",
            f"            if value > {rng.randrange(100)} and self.fitted:",
            "                out.append(value * self.scale)",
            "            else:",
            f"                out.append(value + {rng.randrange(10)})",
            "        return out",
            "",
        ]
    return [*lines, ""]


def test_module(rng: random.Random, package: str, target: str) -> str:
    lines = [
        "import pytest",
        "",
        f"from {package}.{target} import helper_0, helper_1",
        "",
        "",
    ]
    for number in range(rng.randrange(3, 8)):
        lines += [
            f"def test_helper_{number}():",
            f"    rows = [{{'value': {rng.randrange(50)}}}, {{'value': {rng.randrange(900)}}}]",
            "    result = helper_0(rows)",
            "    assert isinstance(result, list)",
            f"    assert len(result) <= {rng.randrange(2, 5)}",
            "",
            "",
        ]
    lines += [
        "def test_raises_on_bad_frame():",
        "    with pytest.raises(TypeError):",
        "        helper_1(None)",
    ]
    return "\n".join(lines) + "\n"


def table_module(rng: random.Random, index: int) -> str:
    rows = rng.randrange(150, 500)
    lines = [f'"""Lookup table {index}, exported from the warehouse."""', "", "TABLE = ["]
    lines += [
        f"    ({row}, 'code-{rng.randrange(10**6):06d}', {rng.uniform(0, 100):.4f}, "
        f"{rng.choice(['True', 'False'])}),"
        for row in range(rows)
    ]
    lines += ["]", ""]
    return "\n".join(lines)


def script_module(rng: random.Random, package: str, kind: str) -> str:
    if kind == "api":
        return textwrap.dedent(f"""\
            from fastapi import FastAPI

            from {package}.model_0 import Transform0

            app = FastAPI()
            model = Transform0(scale={rng.uniform(0.5, 2):.2f})


            @app.post("/predict")
            def predict(values: list[float]) -> list[float]:
                return model.step_0(values)
            """)
    return textwrap.dedent(f"""\
        import mlflow

        from {package}.model_0 import Transform0


        def main() -> None:
            with mlflow.start_run():
                model = Transform0(scale={rng.uniform(0.5, 2):.2f})
                model.fit = True
                mlflow.log_metric("auc", {rng.uniform(0.6, 0.9):.3f})


        if __name__ == "__main__":
            main()
        """)


# notebooks --------------------------------------------------------------------------------
def notebook(rng: random.Random, package: str, index: int) -> str:
    cells = [_markdown(f"# Exploration {index}\n\nLooking at the {package} data, take {index}.")]
    for count in range(1, rng.randrange(6, 14)):
        source = (
            f"import pandas as pd\nframe = pd.read_csv('data/part_{count}.csv')\n"
            f"frame = frame[frame['value'] > {rng.randrange(100)}]\nframe.describe()"
        )
        outputs = [_stream(rng), _table(rng, count)]
        if rng.random() < 0.3:
            outputs.append(_image(rng))
        cells.append(_code(source, count, outputs))
        if rng.random() < 0.4:
            cells.append(_markdown(f"The values above {rng.randrange(100)} look skewed."))
    document = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1) + "\n"


def _markdown(text: str) -> dict[str, object]:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def _code(source: str, count: int, outputs: list[dict[str, object]]) -> dict[str, object]:
    return {
        "cell_type": "code",
        "execution_count": count,
        "metadata": {},
        "outputs": outputs,
        "source": source.splitlines(keepends=True),
    }


def _stream(rng: random.Random) -> dict[str, object]:
    text = "".join(f"epoch {n}: loss {rng.uniform(0, 1):.4f}\n" for n in range(8))
    return {"name": "stdout", "output_type": "stream", "text": text}


def _table(rng: random.Random, count: int) -> dict[str, object]:
    rows = "".join(f"<tr><td>{n}</td><td>{rng.uniform(0, 100):.2f}</td></tr>" for n in range(12))
    return {
        "data": {"text/html": f"<table>{rows}</table>", "text/plain": f"<table {count}>"},
        "execution_count": count,
        "metadata": {},
        "output_type": "execute_result",
    }


def _image(rng: random.Random) -> dict[str, object]:
    png = base64.b64encode(rng.randbytes(6_000)).decode()
    return {"data": {"image/png": png}, "metadata": {}, "output_type": "display_data"}


# configs ----------------------------------------------------------------------------------
def configs(rng: random.Random, package: str, count: int) -> Iterator[tuple[str, str]]:
    fixed = [
        ("README.md", f"# {package}\n\n## Results\n\n| model | auc |\n|---|---|\n| gbm | 0.81 |\n"),
        ("requirements.txt", "numpy==1.26.4\npandas==2.2.1\nscikit-learn==1.4.1\nfastapi\n"),
        ("pyproject.toml", f'[project]\nname = "{package}"\nversion = "0.1.0"\n'),
        (
            "Dockerfile",
            f'FROM python:3.11-slim\nCOPY . /app\nCMD ["uvicorn", "{package}.api:app"]\n',
        ),
        (
            ".github/workflows/ci.yml",
            "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: pytest\n",
        ),
        ("dvc.yaml", f"stages:\n  train:\n    cmd: python -m {package}.train\n"),
        ("Makefile", "test:\n\tpytest\n"),
    ]
    yield from fixed[:count]
    for index in range(count - len(fixed)):
        kind = index % 4
        if kind == 0:
            yield f"configs/experiment_{index}.yaml", _experiment_yaml(rng)
        elif kind == 1:
            yield f"deploy/k8s/service_{index}.yaml", _k8s(rng, index)
        elif kind == 2:
            yield f"configs/params_{index}.toml", _params_toml(rng)
        else:
            yield f"services/svc_{index}/Dockerfile", _dockerfile(rng, package)


def _experiment_yaml(rng: random.Random) -> str:
    keys = "\n".join(f"  lr_{n}: {rng.uniform(0, 0.1):.5f}" for n in range(10))
    return f"model:\n  name: gbm\n  depth: {rng.randrange(2, 10)}\nparams:\n{keys}\n"


def _k8s(rng: random.Random, index: int) -> str:
    return textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: model-{index}
        spec:
          replicas: {rng.randrange(1, 4)}
          template:
            spec:
              containers:
                - name: api
                  image: registry.example.com/model:{rng.randrange(100)}
                  readinessProbe:
                    httpGet: {{path: /health, port: 8000}}
        """)


def _params_toml(rng: random.Random) -> str:
    return "\n".join(f"param_{n} = {rng.uniform(0, 1):.4f}" for n in range(12)) + "\n"


def _dockerfile(rng: random.Random, package: str) -> str:
    return (
        f"FROM python:3.{rng.randrange(9, 13)}-slim\nWORKDIR /app\nCOPY . .\n"
        f"RUN pip install -r requirements.txt\nEXPOSE 8000\n"
        f'CMD ["uvicorn", "{package}.api:app", "--port", "8000"]\n'
    )


# the tree ---------------------------------------------------------------------------------
def files(size: Size, seed: int) -> list[tuple[str, str]]:
    """Every file of the repository at its final commit, in a fixed order."""
    rng = random.Random(seed)
    package = "mlproject"
    out: list[tuple[str, str]] = [(f"src/{package}/__init__.py", "")]
    code_count = max(1, int(size.python * 0.6))
    test_count = int(size.python * 0.25)
    table_count = int(size.python * 0.1)
    script_count = size.python - 1 - code_count - test_count - table_count
    modules: list[str] = []
    groups = max(1, code_count // 75)
    made: set[str] = set()
    for index in range(code_count):
        number = index % groups
        group = f"{TOPICS[number % len(TOPICS)]}_{number // len(TOPICS)}"
        if group not in made:
            made.add(group)
            out.append((f"src/{package}/{group}/__init__.py", ""))
            script_count -= 1
        name = "model_0" if index == 0 else f"{group}.features_{index}"
        siblings = [m for m in modules[-6:] if m.startswith(f"{group}.")]
        out.append(
            (
                f"src/{package}/{name.replace('.', '/')}.py",
                code_module(rng, package, index, siblings),
            )
        )
        modules.append(name)
    for index in range(test_count):
        target = modules[rng.randrange(len(modules))]
        folder = target.split(".")[0] if "." in target else "core"
        out.append((f"tests/{folder}/test_{index}.py", test_module(rng, package, target)))
    for index in range(table_count):
        out.append((f"src/{package}/tables/table_{index}.py", table_module(rng, index)))
    for index in range(max(script_count, 0)):
        kind = "api" if index == 0 else "train"
        name = "api" if index == 0 else ("train" if index == 1 else f"train_{index}")
        out.append((f"src/{package}/{name}.py", script_module(rng, package, kind)))
    for index in range(size.notebooks):
        topic = TOPICS[index % len(TOPICS)]
        out.append((f"notebooks/{topic}/explore_{index}.ipynb", notebook(rng, topic, index)))
    out.extend(configs(rng, package, size.configs))
    return out


def fast_import_stream(tree: list[tuple[str, str]], commits: int, seed: int) -> Iterator[bytes]:
    """A `git fast-import` stream: files arrive over `commits` commits; a fifth of the
    Python files first arrive as a draft (their first half) that a later commit finishes."""
    rng = random.Random(seed + 1)
    arrivals: dict[int, list[tuple[str, str]]] = {}
    for index, (path, content) in enumerate(tree):
        commit = index * commits // len(tree)
        if (
            path.endswith(".py")
            and len(content) > 200
            and rng.random() < 0.2
            and commit + 1 < commits
        ):
            draft = content[: len(content) // 2].rsplit("\n", 1)[0] + "\n"
            arrivals.setdefault(commit, []).append((path, draft))
            later = rng.randrange(commit + 1, commits)
            arrivals.setdefault(later, []).append((path, content))
        else:
            arrivals.setdefault(commit, []).append((path, content))
    when = START
    for number in range(commits):
        when += rng.randrange(600, 3 * 86_400)
        name, email = AUTHORS[rng.randrange(len(AUTHORS))]
        message = f"Work on the model, step {number + 1}\n".encode()
        header = (
            f"commit refs/heads/main\n"
            f"author {name} <{email}> {when} +0000\n"
            f"committer {name} <{email}> {when} +0000\n"
            f"data {len(message)}\n"
        ).encode()
        yield header + message
        for path, content in arrivals.get(number, []):
            data = content.encode()
            yield f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"
        yield b"\n"


def generate(size_name: str, destination: Path, *, seed: int = 8) -> Path:
    return generate_size(SIZES[size_name], destination, seed=seed)


def generate_size(size: Size, destination: Path, *, seed: int = 8) -> Path:
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=destination, env=env, check=True)
    tree = files(size, seed)
    importer = subprocess.Popen(
        ["git", "fast-import", "--quiet"], cwd=destination, env=env, stdin=subprocess.PIPE
    )
    assert importer.stdin is not None
    for chunk in fast_import_stream(tree, size.commits, seed):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=destination, env=env, check=True)
    return destination


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("destination", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    arguments = parser.parse_args()
    path = generate(arguments.size, arguments.destination, seed=arguments.seed)
    print(path)


if __name__ == "__main__":
    main()
