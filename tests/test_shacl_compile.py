"""The compiled shapes on Oxigraph give exactly pySHACL's results: a differential test.

pySHACL is the reference. Each test validates the same graph with both engines and
compares the whole reports as sets of (severity, focus, path, value, shape,
constraint component, message, file, line, used by). pySHACL needs seconds per run
over the reference data, so the fixtures are validated together (one graph breaking
every rule at once, which is also the harder case); set SEGRAPH_DIFFERENTIAL_ALL=1 to
compare each fixture alone as well.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from oxigraph_server import oxigraph_server
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from segraph import paths
from segraph.cli import main
from segraph.load import Corpus, Role, load_corpus, parse_shared
from segraph.shacl_compile import TARGETS, SparqlConstraint, compile_shapes, focus_restriction
from segraph.store import EmbeddedStore, RemoteStore, open_embedded, to_oxigraph
from segraph.validate import ValidationReport, validate_corpus, validate_endpoint, validate_paths, validate_store
from segraph.validate_fast import oxigraph_select, pyshacl_findings, run_shapes

TESTS = Path(__file__).resolve().parent
SHAPE_FIXTURES = sorted((TESTS / "fixtures" / "shapes").glob("*.ttl"))
GENERATOR = TESTS.parent / "benchmarks" / "generate.py"

Key = tuple[object, ...]


def keys(report: ValidationReport) -> set[Key]:
    """A report as a set: everything a result says (its file path relative to the working folder)."""
    return {
        (r.severity, r.focus, r.path, r.value, r.source_shape, r.constraint, r.message, r.file, r.line, r.used_by)
        for r in report.results
    }


def assert_same(corpus: Corpus) -> set[Key]:
    fast, reference = keys(validate_corpus(corpus)), keys(validate_corpus(corpus, engine="pyshacl"))
    assert fast == reference, (
        f"fast only: {sorted(map(str, fast - reference))}\npySHACL only: {sorted(map(str, reference - fast))}"
    )
    return fast


@pytest.fixture(scope="module")
def fixtures_corpus() -> Corpus:
    return load_corpus(SHAPE_FIXTURES)


def test_shipped_data_and_every_fixture_together_give_pyshacls_results() -> None:
    """One graph: the shipped data/ and every fixture breaking its rule at once (one pySHACL run for all)."""
    found = assert_same(load_corpus([paths.data_dir(), *SHAPE_FIXTURES]))
    # The graph exercises every kind of constraint the shapes use.
    assert {
        SH.MinCountConstraintComponent,
        SH.MaxCountConstraintComponent,
        SH.DatatypeConstraintComponent,
        SH.OrConstraintComponent,
        SH.ClassConstraintComponent,
        SH.HasValueConstraintComponent,
        SH.PatternConstraintComponent,
        SH.InConstraintComponent,
        SH.MinInclusiveConstraintComponent,
        SH.SPARQLConstraintComponent,
    } <= {k[5] for k in found}


@pytest.mark.skipif(not os.environ.get("SEGRAPH_DIFFERENTIAL_ALL"), reason="slow: set SEGRAPH_DIFFERENTIAL_ALL=1")
@pytest.mark.parametrize("fixture", SHAPE_FIXTURES, ids=lambda p: p.stem)
def test_each_fixture_gives_pyshacls_results(fixture: Path) -> None:
    assert_same(load_corpus([fixture]))


def test_generated_data_with_injected_violations_gives_pyshacls_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "generated.ttl"
    subprocess.run(
        [sys.executable, str(GENERATOR), "--projects", "12", "--out", str(out), "--violations", "12"],
        check=True,
        capture_output=True,
    )
    found = assert_same(load_corpus([out]))
    # Read straight into Oxigraph, without rdflib (the path for big graphs): the same report.
    assert keys(validate_store(open_embedded([out]))) == found
    # validate_paths takes that path by itself for inputs over its size threshold.
    monkeypatch.setattr("segraph.validate.STRAIGHT_TO_OXIGRAPH", 0)
    monkeypatch.setattr("segraph.validate.load_corpus", None)  # would fail if rdflib parsing were used
    assert keys(validate_paths([out])) == found
    injected = json.loads(out.with_name(out.name + ".violations.json").read_text(encoding="utf-8"))
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    named = {(k[1], _named_shape(shapes, k[4])) for k in found}
    assert {(URIRef(v["focus"]), URIRef(v["source_shape"])) for v in injected} <= named


def _named_shape(shapes: Graph, shape: object) -> object:
    """A blank property shape stands for the node shape holding it, as the generator names it."""
    return next(shapes.subjects(SH.property, shape), shape) if isinstance(shape, BNode) else shape


def test_endpoint_gives_the_same_results_as_the_embedded_store(fixtures_corpus: Corpus) -> None:
    embedded = validate_corpus(fixtures_corpus)
    with oxigraph_server() as server:
        server.post_nquads(EmbeddedStore(fixtures_corpus).nquads())
        remote = validate_endpoint(server.query_url)

    def comparable(report: ValidationReport) -> set[Key]:
        return {k[:7] for k in keys(report) if not str(k[4]).endswith("one-document-per-file")}

    assert comparable(remote) == comparable(embedded)
    assert {r.focus_label for r in remote.results} == {
        r.focus_label for r in embedded.results if not str(r.source_shape).endswith("one-document-per-file")
    }


# A tiny graph and a shapes graph of their own: the odd corners of the subset, checked in milliseconds.
PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DATA = (
    PREFIXES
    + """
ex:a a ex:Thing ; ex:when "2021-13"^^xsd:gYearMonth , "2021-02-30"^^xsd:date , "2021-05-31"^^xsd:date ,
      "0000-01-01"^^xsd:date ; ex:n " 5"^^xsd:integer , "5.0"^^xsd:integer , "1e3"^^xsd:decimal ,
      "-05"^^xsd:integer , "-1.50"^^xsd:decimal ; ex:part ex:p1 .
ex:b a ex:Thing ; ex:when "2021"^^xsd:gYear , "21"^^xsd:gYear , "2021-05-31T10:00:00"^^xsd:dateTime ;
      ex:part ex:p1 , ex:p2 .
ex:p1 ex:kind ex:good .
ex:p2 ex:kind ex:bad .
"""
)

SHAPES = (
    PREFIXES
    + """
ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [
        sh:path ex:when ;
        sh:or ( [ sh:datatype xsd:date ] [ sh:datatype xsd:gYearMonth ] [ sh:datatype xsd:gYear ]
                [ sh:datatype xsd:dateTime ] ) ;
        sh:message "A date, a month or a year."@en
    ] , [
        sh:path ex:n ;
        sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) ;
        sh:minInclusive 0 ;
        sh:message "A number."@en
    ] , [
        sh:path ex:part ;
        sh:maxCount 1 ;
        sh:severity sh:Warning ;
        sh:message "One part."@en
    ] .

# sh:qualifiedValueShape is outside the compiled subset: this shape goes to pySHACL.
ex:QualifiedShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:property [
        sh:path ex:part ;
        sh:qualifiedValueShape [ sh:property [ sh:path ex:kind ; sh:hasValue ex:good ] ] ;
        sh:qualifiedMaxCount 0 ;
        sh:message "No good part."@en
    ] .
"""
)


def tiny_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return store


def test_shapes_outside_the_subset_fall_back_to_pyshacl_and_the_rest_matches_it() -> None:
    data = Graph().parse(data=DATA, format="turtle")
    shapes = Graph().parse(data=SHAPES, format="turtle")
    compiled = compile_shapes(shapes)
    assert list(compiled.fallback) == [URIRef("http://example.org/QualifiedShape")]
    assert "qualifiedValueShape" in compiled.fallback[URIRef("http://example.org/QualifiedShape")]

    fast = set(run_shapes(oxigraph_select(tiny_store(data)), compiled, shapes, data))
    reference = set(pyshacl_findings(data, shapes))
    assert fast == reference
    assert {f.constraint for f in fast} == {
        SH.OrConstraintComponent,
        SH.MinInclusiveConstraintComponent,
        SH.MaxCountConstraintComponent,
        SH.QualifiedMaxCountConstraintComponent,
    }
    # rdflib's leniency is pySHACL's: "2021-13"^^xsd:gYearMonth and " 5"^^xsd:integer pass, 2021-02-30 does not.
    assert {str(f.value) for f in fast if f.constraint == SH.OrConstraintComponent} == {
        "2021-02-30",
        "0000-01-01",
        "5.0",
    }
    # Values come as the data writes them ("-1.50"), not in Oxigraph's canonical form ("-1.5").
    assert {str(f.value) for f in fast if f.constraint == SH.MinInclusiveConstraintComponent} == {"-5", "-1.50", "5.0"}


def test_stated_duration_of_whole_months_from_mid_month_is_checked() -> None:
    """Oxigraph 0.5 leaves 0 / 30.44 unbound; the compiled query divides by an integer instead."""
    data = Graph().parse(
        data="""
        @prefix seg: <https://w3id.org/segraph/ontology#> .
        @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix time: <http://www.w3.org/2006/time#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <http://example.org/p> seg:period <http://example.org/period> .
        <http://example.org/period> dcat:startDate "2021-01-15"^^xsd:date ; dcat:endDate "2021-07-14"^^xsd:date ;
            seg:statedDuration [ time:numericDuration 1 ; time:unitType time:unitYear ] .
        """,
        format="turtle",
    )
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    fast = set(run_shapes(oxigraph_select(tiny_store(data)), compile_shapes(shapes), shapes, data))
    sparql = {f for f in fast if f.constraint == SH.SPARQLConstraintComponent}
    assert sparql == {f for f in pyshacl_findings(data, shapes) if f.constraint == SH.SPARQLConstraintComponent}
    assert [f.message for f in sparql] == [
        "Stated duration contradicts the dates: the document states 12 months, "
        "but the period up to 2021-07-14 covers 6."
    ]


def test_every_shipped_shape_compiles_without_fallback() -> None:
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    compiled = compile_shapes(shapes)
    assert compiled.fallback == {}
    owners = {next(shapes.subjects(SH.property, c.shape), c.shape) for c in compiled.constraints}
    assert owners == {s for target in TARGETS for s in shapes.subjects(target, None)}


def test_cli_engines_write_the_same_report() -> None:
    fixture = str(TESTS / "fixtures" / "shapes" / "stated-duration-contradicts-dates.ttl")
    fast = CliRunner().invoke(main, ["validate", "--format", "json", fixture])
    reference = CliRunner().invoke(main, ["validate", "--engine", "pyshacl", "--format", "json", fixture])
    assert fast.exit_code == reference.exit_code == 1, (fast.output, reference.output)
    assert json.loads(fast.stdout) == json.loads(reference.stdout)


def test_cli_validates_a_store_and_an_endpoint(tmp_path: Path, oxigraph_store: RemoteStore) -> None:
    fixture = TESTS / "fixtures" / "shapes" / "unknown-theme.ttl"
    assert CliRunner().invoke(main, ["load", "--store", str(tmp_path / "store"), str(fixture)]).exit_code == 0
    stored = CliRunner().invoke(main, ["validate", "--store", str(tmp_path / "store"), "--format", "json"])
    assert stored.exit_code == 1, stored.output
    assert json.loads(stored.stdout)["results"] == _json(validate_corpus(load_corpus([fixture])))["results"]

    remote = CliRunner().invoke(main, ["validate", "--endpoint", oxigraph_store.endpoint])
    assert remote.exit_code == 0, remote.output
    assert "Validated 5 data file(s): the graph conforms" in remote.stdout

    both = CliRunner().invoke(main, ["validate", "--endpoint", oxigraph_store.endpoint, str(fixture)])
    assert both.exit_code == 2
    assert "no PATHS" in both.stderr


def _json(report: ValidationReport) -> dict[str, object]:
    from segraph.report import RENDERERS

    return json.loads(RENDERERS["json"](report))  # type: ignore[no-any-return]


def test_a_query_restricted_to_focus_nodes_gives_exactly_their_rows() -> None:
    """``for_focus`` keeps a constraint's rows for the named nodes and for blank nodes their holders hold."""
    store = open_embedded([paths.data_dir(), *SHAPE_FIXTURES])
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    select = oxigraph_select(store.oxigraph)
    compared = 0
    for constraint in compile_shapes(shapes).constraints:
        rows = select(constraint.query)
        foci = {row["focus"] for row in rows}
        named = sorted((f for f in foci if isinstance(f, URIRef)), key=str)[::2]  # every other one
        restricted = select(constraint.for_focus(focus_restriction(named)))
        assert sorted(map(str, restricted)) == sorted(str(r) for r in rows if r["focus"] in set(named))
        held: dict[int, set[URIRef]] = {}
        blanks = set()
        for blank in (f for f in foci if isinstance(f, BNode)):
            quad = next(store.oxigraph.quads_for_pattern(None, None, to_oxigraph(blank), None))
            if isinstance(quad.subject, ox.NamedNode):
                held.setdefault(1, set()).add(URIRef(quad.subject.value))
                blanks.add(blank)
        if held:  # the holders' blank nodes: every wanted one, and only nodes the query reports anyway
            found = {row["focus"] for row in select(constraint.for_focus(focus_restriction([], held)))}
            assert blanks <= found <= foci
        compared += bool(rows)
    assert compared > 5
    assert select(compile_shapes(shapes).constraints[0].for_focus(focus_restriction([]))) == []


def test_sparql_constraints_know_how_far_forward_they_read() -> None:
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    depths = {
        str(c.sparql.node).rsplit("#", 1)[-1]: c.sparql.forward_depth
        for c in compile_shapes(shapes).constraints
        if c.sparql is not None
    }
    # $this → period (its start and end dates); $this → period → stated duration (its number and unit)
    assert depths == {"EndBeforeStartConstraint": 1, "StatedDurationConstraint": 2}
    backwards = SparqlConstraint(URIRef("http://example.org/c"), "SELECT $this WHERE { ?x ?p $this }", ())
    assert backwards.forward_depth is None
    path = SparqlConstraint(URIRef("http://example.org/c"), "SELECT $this WHERE { $this <http://e/p>+ ?x }", ())
    assert path.forward_depth is None
