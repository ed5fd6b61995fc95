"""Benchmarks: segraph against plain rdflib + pySHACL (the baseline) and raw pyoxigraph, on generated data.

    python benchmarks/run.py [--sizes 1000,10000,100000] [--baseline-max 10000] [--out benchmarks/RESULTS.md]

For each size, ``generate.py`` writes a programme database of that many projects (N-Triples), then
every operation runs in a fresh worker process (so start-up, caches and peak memory are each
operation's own): load/parse, each saved query, validation, export, publish and the start-up of
``segraph query projects``. The table gives seconds, the ratio baseline ÷ segraph measured in the
same run, and peak RSS. The baseline stops at ``--baseline-max`` projects (pySHACL already takes
minutes at 10k); a baseline query that exceeds ``--query-timeout`` is reported as such, not waited for.
Not part of CI's pass/fail: CI runs ``--sizes 1000`` as a smoke test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEGRAPH = [sys.executable, "-m", "segraph.cli"]
SEG = "https://w3id.org/segraph/ontology#"
ENGINES = ("segraph", "baseline", "raw")


@dataclass
class Measure:
    """One operation on one engine at one size: seconds and peak memory, or why there is none."""

    seconds: float | None = None
    rss_mb: float | None = None
    note: str = ""


@dataclass
class Row:
    operation: str
    size: str
    measures: dict[str, Measure] = field(default_factory=dict)

    def ratio(self) -> str:
        """Baseline seconds ÷ segraph seconds, when both were measured."""
        ours, theirs = self.measures.get("segraph"), self.measures.get("baseline")
        if not ours or not theirs or not ours.seconds or theirs.seconds is None:
            if theirs and theirs.note.startswith(">") and ours and ours.seconds:
                return f"> {float(theirs.note[1:].split()[0]) / ours.seconds:,.0f}×"
            return "—"
        return f"{theirs.seconds / ours.seconds:,.1f}×"


# --- the worker side: one operation in this process, result as JSON on stdout --------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reference_files() -> list[Path]:
    """What every engine loads besides the generated file: ontology, reference data, shipped data."""
    from segraph import paths

    return [
        paths.ontology_file(),
        *sorted(paths.reference_dir().glob("*.ttl")),
        *sorted(paths.data_dir().glob("*.ttl")),
    ]


def rdflib_graph(data: Path) -> Any:
    from rdflib import Graph

    graph = Graph()
    for path in [*reference_files(), data]:
        graph.parse(path)
    return graph


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


def bound_query(name: str, params: dict[str, str]) -> str:
    """The saved query's text with its parameters bound, as segraph binds them for a remote store."""
    from segraph.queries import get_query, with_values

    saved = get_query(name)
    return with_values(saved.text, saved.bind(params))


def worker(
    operation: str, data: Path, store: Path, params_file: Path | None, timeout: float, case: str | None
) -> dict[str, Any]:
    """Run one operation; return {seconds}, or for the rdflib query batch {queries: {case: seconds or "> T s"}}."""
    params: dict[str, dict[str, str]] = json.loads(params_file.read_text()) if params_file else {}
    start = time.perf_counter()
    if operation == "baseline-load":
        rdflib_graph(data)
    elif operation == "raw-load":
        import pyoxigraph as ox

        raw = ox.Store(str(store))
        for path in [*reference_files(), data]:
            raw.bulk_load(path=str(path), format=ox.RdfFormat.from_extension(path.suffix.lstrip(".")))
        raw.flush()
    elif operation == "baseline-validate":
        import pyshacl
        from rdflib import Graph

        from segraph import paths

        pyshacl.validate(rdflib_graph(data), shacl_graph=Graph().parse(paths.shapes_file()), inference="none")
    elif operation == "baseline-export":
        rdflib_graph(data).serialize(destination=str(store / "export.nt"), format="nt")
    elif operation == "raw-export":
        import pyoxigraph as ox

        ox.Store.read_only(str(store)).dump(output=str(store.parent / "raw-export.nq"), format=ox.RdfFormat.N_QUADS)
    elif operation == "baseline-queries":
        graph = rdflib_graph(data)
        return {"queries": _timed_queries(lambda text: list(graph.query(text)), params, timeout)}
    elif operation in ("raw-query", "segraph-query"):
        if case is None:
            raise SystemExit(f"{operation} needs --case")
        name, values = _query_cases(params)[case]
        run = _raw_runner(store) if operation == "raw-query" else _segraph_runner(store)
        start = time.perf_counter()
        run(name, values)
    else:
        raise SystemExit(f"unknown operation {operation}")
    return {"seconds": time.perf_counter() - start}


def _timed_queries(run: Callable[[str], object], params: dict[str, dict[str, str]], timeout: float) -> dict[str, Any]:
    """Each (query, parameters) once, bounded by an alarm so a runaway query costs at most ``timeout``."""
    timings: dict[str, Any] = {}
    signal.signal(signal.SIGALRM, _alarm)
    for label, (name, values) in _query_cases(params).items():
        text = bound_query(name, values)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        start = time.perf_counter()
        try:
            run(text)
            timings[label] = time.perf_counter() - start
        except Timeout:
            timings[label] = f"> {timeout:g} s"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return timings


def _raw_runner(store: Path) -> Callable[[str, dict[str, str]], object]:
    """A saved query straight on pyoxigraph, parameters bound as segraph binds them for a remote store."""
    import pyoxigraph as ox

    raw = ox.Store.read_only(str(store))
    return lambda name, values: list(raw.query(bound_query(name, values), use_default_graph_as_union=True))  # type: ignore[arg-type]


def _segraph_runner(store: Path) -> Callable[[str, dict[str, str]], object]:
    """A saved query through segraph's own API on the persistent store (what `--store DIR` runs)."""
    from segraph.run import run_query
    from segraph.store import PersistentStore

    opened = PersistentStore.open(store)
    return lambda name, values: run_query(name, values, store=opened)


def _query_cases(params: dict[str, dict[str, str]]) -> dict[str, tuple[str, dict[str, str]]]:
    """Every saved query over the whole graph, plus the parameterised cases (one project, organisation, date)."""
    from segraph.queries import catalogue

    cases: dict[str, tuple[str, dict[str, str]]] = {}
    for name, saved in sorted(catalogue().items()):
        if not any(p.required for p in saved.params):
            cases[name] = (name, {})
        for key, values in params.items():
            if key.split(" ", 1)[0] == name:
                cases[key] = (name, values)
    return cases


# --- the driver side ------------------------------------------------------------------------------------


def run_worker(
    operation: str,
    data: Path,
    store: Path,
    params: Path | None,
    timeout: float,
    case: str | None = None,
    kill_after: float | None = None,
) -> tuple[dict[str, Any], float]:
    """A fresh process for one operation: its JSON answer and its peak RSS in MB."""
    command = [sys.executable, str(Path(__file__)), "--worker", operation, "--data", str(data), "--store", str(store)]
    if params:
        command += ["--params", str(params)]
    if case:
        command += ["--case", case]
    command += ["--query-timeout", str(timeout)]
    return run_command(command, capture=True, kill_after=kill_after)


class TimedOut(Exception):
    """A worker that ran past its time and was stopped (a Rust engine cannot be interrupted from Python)."""


def run_command(
    command: Sequence[str], capture: bool = False, kill_after: float | None = None
) -> tuple[dict[str, Any], float]:
    """Run a command, measuring wall time and peak RSS (from wait4); the JSON it prints when ``capture``."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if kill_after is not None and time.perf_counter() - start > kill_after:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                raise TimedOut(f"> {kill_after:g} s")
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr[-2000:]}")
    answer = json.loads(stdout) if capture else {"seconds": seconds, "returncode": process.returncode}
    return answer, usage.ru_maxrss / 1024


def sample_params(store: Path) -> dict[str, dict[str, str]]:
    """Values for the parameterised cases, read from the generated data: a project, an organisation, a date."""
    import pyoxigraph as ox

    raw = ox.Store.read_only(str(store))

    def first(query: str) -> str:
        for solution in raw.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            return str(solution[0].value)
        raise RuntimeError(f"no answer to {query}")

    acronym = first(f"SELECT ?a WHERE {{ <https://w3id.org/segraph/project/gen-0000001> <{SEG}acronym> ?a }}")
    # A member of a network or expert group (the first membership in IRI order), so the case has rows.
    organisation = first(
        "SELECT ?l WHERE { ?m <http://www.w3.org/ns/org#member> ?o . "
        "?o <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(lang(?l) = 'en') } ORDER BY ?m ?l LIMIT 1"
    )
    return {
        "partner-regions (one project)": {"project": acronym},
        "contacts (one project)": {"project": acronym},
        "sources (one project)": {"project": acronym},
        "connections (one project)": {"project": acronym},
        "memberships (one organisation)": {"organisation": organisation},
        "active-on (one date)": {"date": "2021-06-15"},
    }


def measure_size(projects: int, work: Path, args: argparse.Namespace) -> Iterator[Row]:
    """Every operation at one size."""
    folder = work / str(projects)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = folder / "projects.nt"
    label = f"{projects:,}"
    generated, rss = run_command(
        [sys.executable, str(HERE / "generate.py"), "--projects", str(projects), "--out", str(data)]
    )
    yield Row("generate (N-Triples)", label, {"segraph": Measure(generated["seconds"], rss)})
    baseline = projects <= args.baseline_max
    skipped = Measure(note=f"skipped above {args.baseline_max:,}")

    store, raw_store = folder / "store", folder / "raw-store"
    row = Row("load / parse", label)
    answer, rss = run_command([*SEGRAPH, "load", "--store", str(store), str(data)])
    row.measures["segraph"] = Measure(answer["seconds"], rss)
    row.measures["baseline"] = _worker_measure("baseline-load", data, folder, None, args) if baseline else skipped
    row.measures["raw"] = _worker_measure("raw-load", data, raw_store, None, args)
    yield row

    params = folder / "params.json"
    params.write_text(json.dumps(sample_params(raw_store)), encoding="utf-8")
    cases = list(_query_cases(json.loads(params.read_text(encoding="utf-8"))))
    from_rdflib: dict[str, Any] = {}
    rdflib_rss = 0.0
    if baseline:
        answer, rdflib_rss = run_worker("baseline-queries", data, folder, params, args.query_timeout)
        from_rdflib = answer["queries"]
    for case in cases:
        row = Row(f"query {case}", label)
        for engine, operation, where in (("segraph", "segraph-query", store), ("raw", "raw-query", raw_store)):
            try:
                answer, rss = run_worker(operation, data, where, params, args.query_timeout, case, args.query_timeout)
                row.measures[engine] = Measure(answer["seconds"], rss)
            except TimedOut as stopped:
                row.measures[engine] = Measure(note=str(stopped))
        value = from_rdflib.get(case)
        row.measures["baseline"] = (
            Measure(value, rdflib_rss) if isinstance(value, float) else Measure(note=str(value)) if value else skipped
        )
        yield row

    row = Row("validate", label)
    answer, rss = run_command([*SEGRAPH, "validate", "--format", "json", "-o", str(folder / "report.json"), str(data)])
    row.measures["segraph"] = Measure(answer["seconds"], rss)
    row.measures["baseline"] = (
        _worker_measure("baseline-validate", data, folder, None, args)
        if projects <= args.pyshacl_max
        else Measure(note=f"skipped above {args.pyshacl_max:,}")
    )
    row.measures["raw"] = Measure(note="no validator")
    yield row

    yield from measure_incremental(data, folder, label)

    row = Row("export (N-Triples)", label)
    answer, rss = run_command(
        [*SEGRAPH, "export", "--store", str(store), "--format", "nt", "--out", str(folder / "export.nt")]
    )
    row.measures["segraph"] = Measure(answer["seconds"], rss)
    row.measures["baseline"] = _worker_measure("baseline-export", data, folder, None, args) if baseline else skipped
    row.measures["raw"] = _worker_measure("raw-export", data, raw_store, None, args)
    yield row

    if projects <= args.publish_max:
        row = Row("publish (site)", label)
        answer, rss = run_command([*SEGRAPH, "publish", "--out", str(folder / "site"), str(data)])
        row.measures["segraph"] = Measure(answer["seconds"], rss)
        row.measures["baseline"] = Measure(note="no equivalent")
        row.measures["raw"] = Measure(note="no equivalent")
        yield row
    shutil.rmtree(folder, ignore_errors=True)


# One statement a curator adds to a small file beside the big export: a new English label of SILK.
EDIT = '\n<https://w3id.org/segraph/project/silk> <http://www.w3.org/2000/01/rdf-schema#label> "SILK (edited)"@en .\n'


def measure_incremental(data: Path, folder: Path, label: str) -> Iterator[Row]:
    """`validate --incremental` beside the export: the first run (full, builds the cache), then one small file edited.

    The edited file is a copy of data/silk.ttl next to the generated export, as a curator's
    document next to a programme database; the second run re-checks only what the edit touches.
    """
    from segraph import paths

    edited = folder / "silk.ttl"
    shutil.copyfile(paths.data_dir() / "silk.ttl", edited)
    command = [*SEGRAPH, "validate", "--incremental", "--cache", str(folder / "cache"), "--format", "json"]
    command += ["-o", str(folder / "incremental.json"), str(data), str(edited)]
    for operation in ("validate --incremental: first run", "validate --incremental: one small file edited"):
        answer, rss = run_command(command)
        measures = {"segraph": Measure(answer["seconds"], rss), "baseline": Measure(note="no equivalent")}
        yield Row(operation, label, {**measures, "raw": Measure(note="no validator")})
        with edited.open("a", encoding="utf-8") as handle:
            handle.write(EDIT)


def _worker_measure(operation: str, data: Path, store: Path, params: Path | None, args: argparse.Namespace) -> Measure:
    answer, rss = run_worker(operation, data, store, params, args.query_timeout)
    return Measure(answer["seconds"], rss)


def measure_startup(repeat: int) -> Row:
    """`segraph query projects` on the shipped data as a fresh process, against the same job done the plain ways."""
    jobs = {
        "segraph": [*SEGRAPH, "query", "projects", "--format", "csv"],
        "baseline": [sys.executable, "-c", _STARTUP_BASELINE],
        "raw": [sys.executable, "-c", _STARTUP_RAW],
    }
    row = Row("start-up: query projects (shipped data)", "shipped")
    for engine, command in jobs.items():
        runs = [run_command(command) for _ in range(repeat)]
        row.measures[engine] = Measure(statistics.median(r[0]["seconds"] for r in runs), max(r[1] for r in runs))
    return row


_STARTUP_BASELINE = """
import sys; sys.path.insert(0, 'benchmarks')
from run import rdflib_graph, reference_files, bound_query
from rdflib import Graph
g = Graph()
for p in reference_files(): g.parse(p)
list(g.query(bound_query('projects', {})))
"""

_STARTUP_RAW = """
import sys; sys.path.insert(0, 'benchmarks')
import pyoxigraph as ox
from run import reference_files, bound_query
s = ox.Store()
for p in reference_files(): s.load(path=str(p), format=ox.RdfFormat.TURTLE)
list(s.query(bound_query('projects', {}), use_default_graph_as_union=True))
"""


def machine() -> list[str]:
    """What this machine is, for RESULTS.md."""
    from importlib.metadata import version

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or "unknown CPU",
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    libraries = ", ".join(f"{name} {version(name)}" for name in ("rdflib", "pyshacl", "pyoxigraph", "segraph"))
    return [
        f"- {platform.system()} {platform.release()} ({platform.machine()}), {os.cpu_count()} cores: {cpu}",
        f"- {memory:.0f} GiB RAM; Python {platform.python_version()}; {libraries}",
    ]


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| operation | projects | segraph s | rdflib/pySHACL s | raw pyoxigraph s | baseline ÷ segraph "
        "| peak RSS MB (segraph / baseline / raw) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [_seconds(row.measures.get(engine)) for engine in ENGINES]
        memory = " / ".join(_rss(row.measures.get(engine)) for engine in ENGINES)
        lines.append(f"| {row.operation} | {row.size} | {' | '.join(cells)} | {row.ratio()} | {memory} |")
    return lines


def _seconds(measure: Measure | None) -> str:
    if measure is None:
        return "—"
    if measure.seconds is None:
        return measure.note or "—"
    return f"{measure.seconds:.4f}" if measure.seconds < 0.1 else f"{measure.seconds:.2f}"


def _rss(measure: Measure | None) -> str:
    return f"{measure.rss_mb:,.0f}" if measure and measure.rss_mb else "—"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated project counts (default 1000,10000,100000)"
    )
    parser.add_argument(
        "--baseline-max", type=int, default=10_000, help="largest size for the rdflib baseline (default 10000)"
    )
    parser.add_argument("--pyshacl-max", type=int, default=10_000, help="largest size for pySHACL (default 10000)")
    parser.add_argument(
        "--publish-max", type=int, default=1_000, help="largest size to publish as a site (default 1000)"
    )
    parser.add_argument("--query-timeout", type=float, default=60.0, help="seconds before a baseline query is given up")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the start-up measurement (median)")
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the results")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--params", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.data, args.store, args.params, args.query_timeout, args.case)))
        return 0
    try:
        sizes = [int(size.replace("_", "")) for size in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes: comma-separated integers, e.g. 1000,10000; got {args.sizes!r}")
    with tempfile.TemporaryDirectory(prefix="segraph-bench-") as scratch:
        work = args.work or Path(scratch)
        rows = [measure_startup(args.repeat)]
        print("\n".join(table(rows)), flush=True)
        for projects in sizes:
            for row in measure_size(projects, work, args):
                rows.append(row)
                print("\n".join(table([row])[2:]), flush=True)
    lines = [
        "# segraph benchmarks",
        "",
        f"Measured by `python benchmarks/run.py --sizes {args.sizes}` on {date.today().isoformat()}.",
        "",
        *machine(),
        "",
        *table(rows),
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nwritten to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
