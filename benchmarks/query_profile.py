"""Time every saved query on a raw pyoxigraph store of generated data, optionally against an older set of queries.

    python benchmarks/query_profile.py --projects 10000 [--work DIR] [--against OLD_QUERIES_DIR] [--timeout 120]

``run.py`` measures whole commands at fixed sizes; this script is the tool for working on the queries
themselves. It generates N projects (kept in ``--work`` and reused when run again), loads them with the
reference data into an on-disk Oxigraph store (``run.py``'s ``raw-load`` worker), and runs every saved
query over the whole graph plus the parameterised cases of ``run.py`` (one project, one organisation,
one date). Each case runs in its own process so that a runaway query is killed after ``--timeout``
seconds rather than waited for. One line per case: rows, seconds, and with ``--against`` the seconds
of the same case with the ``.rq`` files of that folder (e.g. the queries before a change) and whether
both give the same rows in the same order.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import _query_cases, run_worker, sample_params  # noqa: E402

from segraph import paths  # noqa: E402
from segraph.queries import get_query, with_values  # noqa: E402


def run_case(store: Path, queries: Path, name: str, values: dict[str, str], repeat: int) -> dict[str, object]:
    """One saved query, bound as segraph binds it for a remote store: rows, a digest of them, best seconds.

    A case that takes over a second runs once; a faster one ``repeat`` times, so that a cold cache
    does not decide the number.
    """
    saved = get_query(name, queries)
    text = with_values(saved.text, saved.bind(values))
    raw = ox.Store.read_only(str(store))
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        solutions = raw.query(text, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions), f"{name} is not a SELECT query"
        rows = [tuple("" if term is None else str(term) for term in solution) for solution in solutions]
        best = min(best, time.perf_counter() - start)
        if best > 1:
            break
    digest = hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]
    return {"rows": len(rows), "seconds": best, "digest": digest}


def timed(store: Path, queries: Path, name: str, values: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    """``run_case`` in a fresh process, killed after ``--timeout`` seconds."""
    command = [
        sys.executable,
        str(Path(__file__)),
        "--case",
        json.dumps([name, values]),
        "--store",
        str(store),
        "--queries",
        str(queries),
        "--repeat",
        str(args.repeat),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"note": f"> {args.timeout:g} s"}
    if done.returncode != 0:
        return {"note": "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1]}
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def prepare(projects: int, work: Path) -> Path:
    """The generated file and its raw Oxigraph store in ``work``, made once and reused."""
    folder = work / str(projects)
    data, store = folder / "projects.nt", folder / "store"
    folder.mkdir(parents=True, exist_ok=True)
    if not data.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--projects", str(projects), "--out", str(data)], check=True
        )
    if not (store / "CURRENT").exists():
        run_worker("raw-load", data, store, None, 0)
    return store


def cell(answer: dict[str, object]) -> str:
    seconds = answer.get("seconds")
    return f"{seconds:9.4f}" if isinstance(seconds, float) else f"{answer['note']!s:>9}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=1000, help="generated projects (default 1000)")
    parser.add_argument(
        "--work", type=Path, default=Path("/tmp/segraph-query-profile"), help="where data and stores are kept"
    )
    parser.add_argument("--against", type=Path, help="a folder of .rq files to time too and compare rows with")
    parser.add_argument("--only", default="", help="comma-separated case labels or query names to run (default all)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a case is given up (default 120)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of a fast case; the best counts (default 3)")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.case:
        name, values = json.loads(args.case)
        print(json.dumps(run_case(args.store, args.queries, name, values, args.repeat)))
        return 0
    store = prepare(args.projects, args.work)
    only = {label for label in args.only.split(",") if label}
    print(f"{args.projects:,} projects; seconds of raw pyoxigraph, best of {args.repeat} below 1 s", flush=True)
    header = f"{'case':<34} {'rows':>8} {'seconds':>9}"
    print(header + (f" {'before':>9} {'ratio':>8} same rows" if args.against else ""), flush=True)
    for label, (name, values) in _query_cases(sample_params(store)).items():
        if only and label not in only and name not in only:
            continue
        after = timed(store, paths.queries_dir(), name, values, args)
        line = f"{label:<34} {after.get('rows', '—')!s:>8} {cell(after)}"
        if args.against:
            before = timed(store, args.against, name, values, args)
            ratio = (
                f"{before['seconds'] / after['seconds']:7.1f}×"  # type: ignore[operator]
                if isinstance(before.get("seconds"), float) and isinstance(after.get("seconds"), float)
                else "—"
            )
            same = (
                "—"
                if "digest" not in before or "digest" not in after
                else "yes"
                if before["digest"] == after["digest"]
                else "NO"
            )
            line += f" {cell(before)} {ratio:>8} {same}"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
