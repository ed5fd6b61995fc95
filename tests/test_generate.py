"""benchmarks/generate.py writes the same bytes for the same arguments, data shaped like a programme
database that conforms to segraph's shapes, and exactly the violations it says it injected.

Sizes stay small (at most 150 projects); validation runs on one file of 20 projects with one
violation of each kind, and on one clean file of 10 projects. Speed is the benchmarks' business.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, ORG, PROV, RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node
from script_import import import_script

from segraph import paths
from segraph.load import Role, parse_shared
from segraph.namespaces import NUTS, SCHEMA, SEG
from segraph.validate import ValidationResult, validate_paths

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "benchmarks" / "generate.py"
GENERATED = "https://w3id.org/segraph/project/gen-"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return import_script(SCRIPT)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="module")
def sample(gen: ModuleType, folder: Path) -> tuple[Any, Graph]:
    """150 projects as N-Triples, with the run's summary and the parsed graph."""
    out = folder / "sample.nt"
    summary = gen.generate(150, out, seed=3)
    return summary, Graph().parse(out, format="nt")


@pytest.fixture(scope="module")
def reference() -> Graph:
    graph = Graph()
    for path in sorted(paths.reference_dir().glob("*.ttl")):
        graph += parse_shared(path, Role.REFERENCE).graph
    return graph


def test_same_seed_gives_the_same_bytes_and_another_seed_other_data(gen: ModuleType, folder: Path) -> None:
    first, again, other = folder / "first.ttl", folder / "again.ttl", folder / "other.ttl"
    gen.generate(60, first, seed=11, violations=10)
    gen.generate(60, again, seed=11, violations=10)
    gen.generate(60, other, seed=12, violations=10)
    assert first.read_bytes() == again.read_bytes()
    assert (folder / "first.ttl.violations.json").read_bytes() == (folder / "again.ttl.violations.json").read_bytes()
    assert first.read_bytes() != other.read_bytes()
    ours, theirs = Graph().parse(first), Graph().parse(other)
    assert set(ours.objects(None, SEG.acronym)) != set(theirs.objects(None, SEG.acronym))


def test_turtle_and_ntriples_hold_the_same_graph(gen: ModuleType, folder: Path) -> None:
    turtle, ntriples = folder / "same.ttl", folder / "same.nt"
    gen.generate(80, turtle, seed=5, violations=10)
    gen.generate(80, ntriples, seed=5, violations=10)
    from_turtle, from_ntriples = Graph().parse(turtle), Graph().parse(ntriples, format="nt")
    assert len(from_turtle) > 80 * 40
    assert set(from_turtle) == set(from_ntriples)  # no blank nodes: equal triple sets are isomorphic graphs


def test_counts_are_shaped_like_a_programme_database(sample: tuple[Any, Graph]) -> None:
    summary, graph = sample
    projects = set(graph.subjects(RDF.type, SEG.Project))
    assert len(projects) == 150 and all(str(p).startswith(GENERATED) for p in projects)
    per_project = Counter(graph.objects(None, SEG.project))
    assert set(per_project) == projects
    assert all(2 <= n <= 20 for n in per_project.values())
    assert 6 <= sum(per_project.values()) / len(projects) <= 10
    organisations = set(graph.subjects(RDF.type, SEG.Organisation))
    assert 40 <= len(organisations) <= 50  # a pool of about N/3, nearly all used
    uses = Counter(graph.objects(None, SEG.organisation))
    assert set(uses) == organisations
    assert max(uses.values()) >= 10 * min(uses.values())  # a long tail: a few organisations take part often
    assert summary.triples == len(graph)
    assert summary.participations == sum(per_project.values())
    assert summary.organisations == len(organisations)
    assert 50 <= len(graph) / 150 <= 75


def test_every_code_comes_from_the_reference_data(sample: tuple[Any, Graph], reference: Graph) -> None:
    _, graph = sample
    for organisation in graph.subjects(RDF.type, SEG.Organisation):
        country = graph.value(organisation, SEG.country)
        assert (country, SKOS.inScheme, URIRef(str(country).rsplit("/", 1)[0])) in reference
        for region in graph.objects(organisation, SEG.region):
            assert str(region).startswith(str(NUTS))
            assert reference.value(region, SEG.country) == country, f"{region} is not in {country}"
    for predicate, scheme in ((SEG.role, "role"), (SEG.organisationKind, "organisation-kind"), (SEG.theme, "theme")):
        used = set(graph.objects(None, predicate))
        in_scheme = URIRef(f"https://w3id.org/segraph/vocab/{scheme}")
        assert used and all((term, SKOS.inScheme, in_scheme) in reference for term in used), predicate
    assert all((p, RDF.type, SEG.FundingProgramme) in reference for p in graph.objects(None, SEG.programme))
    policies = {o for o in graph.objects() if str(o).startswith("https://w3id.org/segraph/vocab/policy/")}
    assert policies and all((p, RDF.type, SEG.Policy) in reference for p in policies)
    roles = Counter(graph.objects(None, SEG.role))
    assert len(roles) >= 4


def valid(date: Literal) -> bool:
    """A well-formed xsd:date, xsd:gYearMonth or xsd:gYear (rdflib gives no value for the last two)."""
    if date.datatype == XSD.gYear:
        return re.fullmatch(r"\d{4}", date) is not None
    if date.datatype == XSD.gYearMonth:
        return re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", date) is not None
    return date.datatype == XSD.date and date.value is not None


def test_dates_have_mixed_precision_and_never_end_before_they_start(sample: tuple[Any, Graph]) -> None:
    _, graph = sample
    datatypes: Counter[URIRef | None] = Counter()
    for project, period in graph.subject_objects(SEG.period):
        if (project, RDF.type, SEG.Membership) in graph:
            continue  # a membership states since when only (see below)
        start, end = graph.value(period, DCAT.startDate), graph.value(period, DCAT.endDate)
        assert isinstance(start, Literal) and isinstance(end, Literal) and start.datatype == end.datatype
        assert valid(start) and valid(end), f"{period}: {start!r} or {end!r} is malformed"
        assert str(start) <= str(end)
        datatypes[start.datatype] += 1
    assert set(datatypes) == {XSD.date, XSD.gYearMonth, XSD.gYear}


def test_memberships_join_organisations_to_networks_and_expert_groups(sample: tuple[Any, Graph]) -> None:
    summary, graph = sample
    kind = "https://w3id.org/segraph/vocab/organisation-kind/"
    role = "https://w3id.org/segraph/vocab/role/"
    memberships = set(graph.subjects(RDF.type, SEG.Membership))
    organisations = set(graph.subjects(RDF.type, SEG.Organisation))
    assert summary.memberships == len(memberships)
    assert 0.1 * len(organisations) < len(memberships) < len(organisations)
    members: set[Any] = set()
    since = 0
    for membership in memberships:
        member, body = graph.value(membership, ORG.member), graph.value(membership, ORG.organization)
        assert member in organisations and body in organisations and member != body
        body_kind = str(graph.value(body, SEG.organisationKind))
        expected_role = {kind + "network": role + "member", kind + "expert-group": role + "representative"}
        assert str(graph.value(membership, SEG.role)) == expected_role[body_kind]
        members.add(member)
        period = graph.value(membership, SEG.period)
        if period is not None:
            start = graph.value(period, DCAT.startDate)
            assert isinstance(start, Literal) and start.datatype == XSD.gYear and "1990" <= str(start) <= "2025"
            assert graph.value(period, DCAT.endDate) is None
            since += 1
    assert 0 < since < len(memberships)  # most, not all, say since when
    assert len(members) > 0.1 * len(organisations)


def test_budgets_labels_and_people_look_like_the_shipped_data(sample: tuple[Any, Graph]) -> None:
    _, graph = sample
    for amount in graph.objects(None, SEG.budget):
        value, currency = graph.value(amount, SCHEMA.value), graph.value(amount, SCHEMA.currency)
        assert isinstance(value, Literal) and value.datatype == XSD.decimal and value.value >= 0
        assert str(currency) in {"EUR", "SEK"}
    languages = Counter(o.language for o in graph.objects(None, RDFS.label) if isinstance(o, Literal))
    assert None not in languages and languages["en"] > 0 and len(languages) >= 4
    people = set(graph.subjects(RDF.type, SEG.Person))
    assert people
    allowed = {RDF.type, RDFS.label, SCHEMA.name, SCHEMA.jobTitle, SCHEMA.worksFor, PROV.wasDerivedFrom}
    assert {p for person in people for p in graph.predicates(person)} <= allowed
    documents = set(graph.subjects(RDF.type, SEG.SourceDocument))
    assert len(documents) == 1


# --------------------------------------------------------------------------- validation


def shape_of(result: ValidationResult) -> Node | None:
    """A result's named shape: its source shape, or the node shape holding a blank property shape."""
    if isinstance(result.source_shape, BNode):
        shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
        return shapes.value(predicate=SH.property, object=result.source_shape)
    return result.source_shape


def path_of(result: ValidationResult) -> str | list[str] | None:
    """A result's path as the ground truth writes it: an IRI, the list of an alternative path, or None."""
    if isinstance(result.path, BNode):
        shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
        alternatives = shapes.value(result.path, SH.alternativePath)
        assert alternatives is not None, f"unexpected complex path {result.path}"
        return [str(p) for p in Collection(shapes, alternatives)]
    return None if result.path is None else str(result.path)


def test_injected_violations_are_exactly_what_validation_finds(gen: ModuleType, folder: Path) -> None:
    out = folder / "violations.ttl"
    summary = gen.generate(20, out, seed=1, violations=len(gen.KINDS))
    expected = json.loads((folder / "violations.ttl.violations.json").read_text(encoding="utf-8"))
    assert expected == summary.expected
    assert len(gen.KINDS) >= 6 and {e["kind"] for e in expected} == set(gen.KINDS)
    assert all(set(e) == {"kind", "focus", "path", "source_shape", "severity"} for e in expected)
    report = validate_paths([out])
    found = sorted((str(r.focus), json.dumps(path_of(r)), str(shape_of(r)), r.severity.value) for r in report.results)
    wanted = sorted((e["focus"], json.dumps(e["path"]), e["source_shape"], e["severity"]) for e in expected)
    assert found == wanted


def test_generated_data_conforms(gen: ModuleType, folder: Path) -> None:
    out = folder / "clean.ttl"
    gen.generate(10, out, seed=2)
    report = validate_paths([out])
    assert report.results == [], "\n".join(f"{r.focus} {r.path}: {r.message}" for r in report.results)
    assert json.loads((folder / "clean.ttl.violations.json").read_text(encoding="utf-8")) == []


def test_a_violation_changes_only_the_resource_it_breaks(gen: ModuleType, folder: Path) -> None:
    clean, broken = folder / "before.nt", folder / "after.nt"
    gen.generate(30, clean, seed=4)
    gen.generate(30, broken, seed=4, violations=len(gen.KINDS))
    before, after = Graph().parse(clean, format="nt"), Graph().parse(broken, format="nt")
    changed = {s for s, _, _ in set(before) ^ set(after)}
    assert len(changed) == len(gen.KINDS)  # one resource per injected violation, nothing else
    assert all(str(s).startswith("https://w3id.org/segraph/") for s in changed)


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--projects", "10", "--out", "x.txt"], "must end in .ttl"),
        (["--projects", "0", "--out", "x.ttl"], "--projects must be at least 1"),
        (["--projects", "10", "--out", "x.ttl", "--violations", "11"], "--violations must be between 0"),
        (["--projects", "10", "--out", "x.ttl", "--seed", "-1"], "--seed must be a non-negative"),
        (["--projects", "ten", "--out", "x.ttl"], "invalid int value"),
        (["--out", "x.ttl"], "required: --projects"),
    ],
)
def test_bad_arguments_exit_2_with_a_clear_message(
    gen: ModuleType, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        gen.main(arguments)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_the_script_runs_as_a_command(tmp_path: Path) -> None:
    out = tmp_path / "small.nt"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--projects", "20", "--out", str(out), "--violations", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "20 projects" in done.stdout and "triples/s" in done.stdout
    assert len(json.loads((tmp_path / "small.nt.violations.json").read_text(encoding="utf-8"))) >= 3
    refused = subprocess.run(
        [sys.executable, str(SCRIPT), "--projects", "20", "--out", str(tmp_path / "small.rdf")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "must end in .ttl" in refused.stderr
