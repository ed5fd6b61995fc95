"""Write a synthetic programme database in segraph's own ontology: any size, same bytes for the same arguments.

The shipped data is five documents; the graphs segraph must serve are programme databases (keep.eu,
CORDIS, Kohesio) of up to a million projects. This script writes such a graph for benchmarks and
differential tests: ~8 participations per project (2-20) with roles from ``roles.ttl``, a pool of
about N/3 organisations reused with a long tail, each with a kind, a country and (mostly) a real NUTS 3
region of that country, periods at mixed precision, budgets, programmes, themes, policy links, contact
persons, memberships of networks and expert groups (about one organisation in four, most with a start
year) and labels in English plus the lead partner's language.

Design decisions:

* One file is one programme-database export: one ``seg:SourceDocument`` (``document/gen-export``),
  which every resource names with ``prov:wasDerivedFrom``. That satisfies ``segsh:SourcedShape`` and
  the one-document-per-file check. Per-project pages are not modelled as documents (a second
  ``seg:SourceDocument`` would break that check); each project keeps its record key in the export as
  ``dct:identifier`` instead.
* Generated resources are ``…/project/gen-0000042``, ``…/organisation/gen-0000007`` and so on:
  recognisable, readable, stable for a seed.
* Streaming: each project is written as text when it is generated (Turtle blocks or N-Triples lines,
  with literals escaped here), so memory holds only the organisation pool, never the graph.
* Deterministic: one ``random.Random(seed)``, reference data read once with pyoxigraph and sorted; no
  hash order, no clock in the output.
* ``--violations K`` mutates K projects spread evenly over the file, cycling through ``KINDS``; each
  mutation breaks one rule of ``ontology/shapes.ttl`` (like the fixtures in ``tests/fixtures/shapes``)
  and uses no randomness, so the rest of the graph is the same as the clean one. The results a
  validator must report are written to ``FILE.violations.json``.

Usage: python benchmarks/generate.py --projects N --out FILE.ttl|FILE.nt [--seed S] [--violations K]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from synthetic.records import ROLES_USED, Generator
from synthetic.reference import load_reference
from synthetic.terms import DOCUMENT, DOCUMENT_ID, TYPE, Iri, Lit, v
from synthetic.violations import KINDS, VIOLATIONS, Expected
from synthetic.writer import Writer

from segraph.errors import UsageError

FORMATS = {".ttl": "turtle", ".nt": "ntriples"}
# The prefixes the data uses (violations included), declared at the top of a Turtle file.
TURTLE_PREFIXES = (
    "amount", "country", "dcat", "dct", "document", "kind", "language", "membership", "nuts", "org",
    "organisation", "participation", "period", "person", "policy", "programme", "project", "prov", "rdfs", "role",
    "schema", "seg", "theme", "xsd",
)  # fmt: skip


@dataclass(frozen=True)
class Summary:
    """What one run wrote, and how fast."""

    out: Path
    projects: int
    organisations: int
    participations: int
    memberships: int
    triples: int
    seconds: float
    cpu_seconds: float
    expected: list[Expected]

    def __str__(self) -> str:
        rate = self.triples / self.seconds if self.seconds else 0.0
        return (
            f"{self.out}: {self.projects:,} projects, {self.organisations:,} organisations, "
            f"{self.participations:,} participations, {self.memberships:,} memberships, {self.triples:,} triples "
            f"({self.triples / self.projects:.1f} per project) in {self.seconds:.1f} s, {self.cpu_seconds:.1f} s CPU "
            f"({rate:,.0f} triples/s); "
            f"{len(self.expected)} expected validation results in {violations_file(self.out).name}"
        )


def violations_file(out: Path) -> Path:
    """Where the ground truth of the injected violations goes: beside the output."""
    return out.with_name(out.name + ".violations.json")


def check_arguments(projects: int, out: Path, seed: int, violations: int) -> None:
    if projects < 1:
        raise UsageError(f"--projects must be at least 1, not {projects}")
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"--out {out}: the file name must end in .ttl (Turtle) or .nt (N-Triples)")
    if seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, not {seed}")
    if not 0 <= violations <= projects:
        raise UsageError(f"--violations must be between 0 and the number of projects ({projects}), not {violations}")


def generate(projects: int, out: Path, seed: int = 0, violations: int = 0) -> Summary:
    """Write ``projects`` generated projects to ``out`` (.ttl or .nt) and the ground truth beside it."""
    check_arguments(projects, out, seed, violations)
    started, cpu = time.perf_counter(), time.process_time()
    generator = Generator(load_reference(ROLES_USED), projects, seed)
    targets = {(2 * k + 1) * projects // (2 * violations) + 1: k for k in range(violations)}
    expected: list[Expected] = []
    participations = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
        writer = Writer(stream, turtle=out.suffix.lower() == ".ttl")
        writer.header(
            [
                f"Synthetic programme-database export: {projects} projects, seed {seed}, {violations} violations.",
                "Written by benchmarks/generate.py; every triple is stated by document:" + DOCUMENT_ID + ".",
            ],
            TURTLE_PREFIXES,
        )
        writer.resource(
            DOCUMENT,
            [
                (TYPE, v("seg:SourceDocument")),
                (v("dct:title"), Lit(f"Synthetic programme database export (seed {seed})", "en")),
                (v("dct:language"), Iri("language", "ENG")),
                (v("dct:identifier"), Lit(f"{DOCUMENT_ID}-{seed}")),
            ],
        )
        for number in range(1, projects + 1):
            record = generator.project(number)
            if number in targets:
                k = targets[number]
                kind = KINDS[k % len(KINDS)]
                expected += VIOLATIONS[kind](kind, record, k)
            participations += len(record.organisations)
            for subject, statements in record.resources:
                writer.resource(subject, statements)
    violations_file(out).write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    organisations = sum(1 for org in generator.pool if org is not None)
    seconds = time.perf_counter() - started
    return Summary(
        out,
        projects,
        organisations,
        participations,
        generator.memberships_made,
        writer.triples,
        seconds,
        time.process_time() - cpu,
        expected,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/generate.py",
        description="Write a deterministic synthetic programme database in segraph's ontology.",
    )
    parser.add_argument("--projects", type=int, required=True, help="number of projects (1,000 … 1,000,000)")
    parser.add_argument("--out", type=Path, required=True, help="output file: .ttl (Turtle) or .nt (N-Triples)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same bytes")
    parser.add_argument("--violations", type=int, default=0, help="inject this many known violations (default 0)")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.projects, args.out, args.seed, args.violations)
    except UsageError as error:
        parser.error(str(error))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
