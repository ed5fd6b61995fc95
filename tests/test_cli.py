"""The ``segraph`` command: exit codes, messages and every report format, end to end.

A full validation costs several seconds, so the CLI's ``validate_paths`` is wrapped
(see ``validate_once``): each distinct set of paths is validated for real once per
module, and the default data/ reuses the session's ``shipped_report``. Everything
after validation (rendering, ``-o``, exit codes) runs for real on every call, and
one test runs the installed console script in a subprocess without any wrapping.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

import segraph.validate
from segraph.cli import main
from segraph.load import Corpus
from segraph.validate import ValidationReport

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "data"
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"

RESEES = "https://w3id.org/segraph/project/resees"
DATA_FILES = ("orebro-international.ttl", "raise.ttl", "resees.ttl", "se-innovation.ttl", "silk.ttl")

_VALIDATED: dict[tuple[str, ...], ValidationReport] = {}


@pytest.fixture(autouse=True)
def validate_once(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Validate each distinct set of paths once; data/ (no paths) is the session's shipped_report."""
    real = segraph.validate.validate_paths

    def cached(data_paths: Sequence[Path] | None = None) -> ValidationReport:
        if not data_paths:
            return request.getfixturevalue("shipped_report")
        key = tuple(str(Path(p).resolve()) for p in data_paths)
        if key not in _VALIDATED:
            _VALIDATED[key] = real(data_paths)
        return _VALIDATED[key]

    monkeypatch.setattr(segraph.validate, "validate_paths", cached)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean_exit(result: Result, code: int) -> None:
    """The command ended with ``code`` through sys.exit, not through an uncaught exception."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


def line_of(path: Path, prefix: str) -> int:
    """1-based number of the first line of ``path`` that starts with ``prefix``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not found in {path}")


@pytest.fixture(scope="module")
def swapped_dates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/*.ttl with RESEES's start and end dates swapped: the period ends before it starts."""
    folder = tmp_path_factory.mktemp("swapped")
    for source in DATA.glob("*.ttl"):
        shutil.copy(source, folder / source.name)
    resees = folder / "resees.ttl"
    text = resees.read_text(encoding="utf-8")
    start = 'dcat:startDate "2024-04-01"^^xsd:date'
    end = 'dcat:endDate "2027-03-30"^^xsd:date'
    assert text.count(start) == 1 and text.count(end) == 1, "data/resees.ttl no longer states these dates"
    text = text.replace(start, "@@START@@").replace(end, 'dcat:endDate "2024-04-01"^^xsd:date')
    resees.write_text(text.replace("@@START@@", 'dcat:startDate "2027-03-30"^^xsd:date'), encoding="utf-8")
    return folder


# --- help and version -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["validate"], ["stats"], ["export"]], ids=["main", "validate", "stats", "export"])
def test_help_exits_0(args: list[str]) -> None:
    result = run(*args, "--help")
    assert_clean_exit(result, 0)
    assert "Usage:" in result.stdout


def test_main_help_lists_the_commands() -> None:
    result = run("-h")
    assert_clean_exit(result, 0)
    for command in ("validate", "stats", "export"):
        assert re.search(rf"^\s+{command}\b", result.stdout, re.MULTILINE), command


def test_validate_help_lists_every_format() -> None:
    result = run("validate", "--help")
    for fmt in ("text", "json", "turtle", "junit", "github"):
        assert fmt in result.stdout


def test_version() -> None:
    from segraph import __version__

    result = run("--version")
    assert_clean_exit(result, 0)
    assert result.stdout.strip() == f"segraph, version {__version__}"


# --- bad input: exit 2, one line on stderr, no traceback ---------------------------------------


def test_malformed_turtle_names_file_line_and_reason() -> None:
    broken = BAD / "unterminated-string.ttl"
    result = run("validate", str(broken))
    assert_clean_exit(result, 2)
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert f"{broken}:7:" in result.stderr
    assert "newline found in string literal" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_malformed_turtle_among_good_files_is_still_exit_2(tmp_path: Path) -> None:
    shutil.copy(DATA / "resees.ttl", tmp_path / "resees.ttl")
    shutil.copy(BAD / "unterminated-string.ttl", tmp_path / "zz-broken.ttl")
    result = run("validate", str(tmp_path))
    assert_clean_exit(result, 2)
    assert "zz-broken.ttl:7:" in result.stderr


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [("broken.jsonld", 4, "json-ld parse error"), ("broken.rdf", 4, "RDF/XML syntax error")],
)
def test_other_syntax_errors_name_file_and_line(name: str, line: int, reason: str) -> None:
    result = run("validate", str(BAD / name))
    assert_clean_exit(result, 2)
    assert f"{BAD / name}:{line}: {reason}" in result.stderr


def test_missing_path_is_exit_2_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "gone.ttl"
    result = run("validate", str(missing))
    assert_clean_exit(result, 2)
    assert str(missing) in result.stderr
    assert "no such file or folder" in result.stderr


def test_empty_folder_is_exit_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert_clean_exit(result, 2)
    assert f"{tmp_path}: the folder holds no RDF files" in result.stderr


def test_folder_without_rdf_files_is_exit_2() -> None:
    result = run("validate", str(BAD / "no-rdf"))
    assert_clean_exit(result, 2)
    assert "holds no RDF files" in result.stderr


@pytest.mark.parametrize("name", ["notes.txt", "projects.csv"])
def test_non_rdf_file_is_exit_2(name: str) -> None:
    result = run("validate", str(BAD / name))
    assert_clean_exit(result, 2)
    assert f"{BAD / name}: not an RDF file" in result.stderr


def test_latin1_turtle_is_exit_2() -> None:
    result = run("validate", str(BAD / "latin1.ttl"))
    assert_clean_exit(result, 2)
    assert f"{BAD / 'latin1.ttl'}: not UTF-8 text" in result.stderr


def test_binary_file_named_ttl_is_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "image.ttl"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x80\x81")
    result = run("validate", str(binary))
    assert_clean_exit(result, 2)
    assert str(binary) in result.stderr
    assert "not UTF-8" in result.stderr


def test_unknown_format_is_a_click_usage_error() -> None:
    result = run("validate", "--format", "csv")
    assert_clean_exit(result, 2)
    assert "Invalid value for '--format'" in result.stderr


def test_stats_on_a_missing_path_is_exit_2(tmp_path: Path) -> None:
    result = run("stats", str(tmp_path / "gone"))
    assert_clean_exit(result, 2)
    assert str(tmp_path / "gone") in result.stderr


# --- the shipped data conforms, in every format -------------------------------------------------


def test_text_on_shipped_data() -> None:
    result = run("validate")
    assert_clean_exit(result, 0)
    assert result.stdout.strip().splitlines()[-1] == (
        "Validated 5 data file(s): the graph conforms; 0 violation(s), 0 warning(s), 0 info."
    )


def test_json_on_shipped_data(shipped_report: ValidationReport) -> None:
    result = run("validate", "--format", "json")
    assert_clean_exit(result, 0)
    report = json.loads(result.stdout)
    assert report["conforms"] is True
    assert report["violations"] == 0
    assert sorted(Path(f).name for f in report["files"]) == sorted(DATA_FILES)
    assert len(report["results"]) == len(shipped_report.results)


def test_junit_on_shipped_data_written_with_o(tmp_path: Path) -> None:
    out = tmp_path / "reports" / "segraph-report.xml"
    result = run("validate", "--format", "junit", "-o", str(out))
    assert_clean_exit(result, 0)
    assert result.stdout == ""
    assert f"report written to {out}" in result.stderr
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert {Path(s.get("name", "")).name for s in suites} >= set(DATA_FILES)
    assert all(s.get("failures") == "0" for s in suites)
    assert root.findall(".//failure") == []
    assert [p.name for p in out.parent.iterdir()] == [out.name], "no temporary file is left beside the report"


def test_o_writes_the_same_report_as_stdout(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    to_file = run("validate", "--format", "json", "-o", str(out))
    to_stdout = run("validate", "--format", "json")
    assert_clean_exit(to_file, 0)
    assert out.read_text(encoding="utf-8") == to_stdout.stdout


def test_o_replaces_an_existing_report(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("stale report\n", encoding="utf-8")
    result = run("validate", "-o", str(out))
    assert_clean_exit(result, 0)
    assert "stale" not in out.read_text(encoding="utf-8")
    assert "the graph conforms" in out.read_text(encoding="utf-8")


def test_o_into_a_folder_is_a_click_usage_error(tmp_path: Path) -> None:
    result = run("validate", "-o", str(tmp_path))
    assert_clean_exit(result, 2)


def test_turtle_on_shipped_data_is_a_shacl_report() -> None:
    result = run("validate", "--format", "turtle")
    assert_clean_exit(result, 0)
    graph = Graph().parse(data=result.stdout, format="turtle")
    reports = list(graph.subjects(RDF.type, SH.ValidationReport))
    assert len(reports) == 1
    assert graph.value(reports[0], SH.conforms) == Literal(True)
    assert list(graph.objects(reports[0], SH.result)) == []


def test_github_on_shipped_data_has_no_annotations() -> None:
    result = run("validate", "--format", "github")
    assert_clean_exit(result, 0)
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]


# --- "done when": RESEES ends before it starts --------------------------------------------------


def test_swapped_dates_fail_naming_resees_its_iri_and_its_file(swapped_dates: Path) -> None:
    result = run("validate", str(swapped_dates))
    assert_clean_exit(result, 1)
    out = result.stdout
    assert "RESEES" in out
    assert f"<{RESEES}>" in out
    assert str(swapped_dates / "resees.ttl") in out
    line = line_of(swapped_dates / "resees.ttl", "project:resees")
    assert f"line {line}: RESEES <{RESEES}>" in out
    assert "2024-04-01" in out and "2027-03-30" in out
    assert "the graph does not conform" in out.splitlines()[-1]


def test_swapped_dates_fail_only_in_resees_ttl(swapped_dates: Path) -> None:
    result = run("validate", str(swapped_dates), "--format", "json")
    assert_clean_exit(result, 1)
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    violations = [r for r in report["results"] if r["severity"] == "Violation"]
    assert violations
    assert {Path(r["file"]).name for r in violations} == {"resees.ttl"}
    assert RESEES in {r["focusNode"] for r in violations}


def test_swapped_dates_as_github_annotations(swapped_dates: Path) -> None:
    result = run("validate", str(swapped_dates), "--format", "github")
    assert_clean_exit(result, 1)
    line = line_of(swapped_dates / "resees.ttl", "project:resees")
    errors = [x for x in result.stdout.splitlines() if x.startswith("::error ")]
    assert errors
    pattern = re.compile(rf"^::error file=([^,]*),line={line},title=segraph%3A RESEES::.*\(node {re.escape(RESEES)}\b")
    matching = [m for m in map(pattern.match, errors) if m]
    assert matching, errors
    assert Path(matching[0].group(1)) == swapped_dates / "resees.ttl"


def test_swapped_dates_as_junit(swapped_dates: Path) -> None:
    result = run("validate", str(swapped_dates), "--format", "junit")
    assert_clean_exit(result, 1)
    root = ET.fromstring(result.stdout)
    suites = {Path(s.get("name", "")).name: s for s in root.iter("testsuite")}
    assert int(suites["resees.ttl"].get("failures", "0")) >= 1
    assert all(s.get("failures") == "0" for name, s in suites.items() if name != "resees.ttl")
    failures = suites["resees.ttl"].findall(".//failure")
    assert any(RESEES in (f.text or "") for f in failures)


def test_swapped_dates_as_turtle(swapped_dates: Path) -> None:
    result = run("validate", str(swapped_dates), "--format", "turtle")
    assert_clean_exit(result, 1)
    graph = Graph().parse(data=result.stdout, format="turtle")
    report = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert graph.value(report, SH.conforms) == Literal(False)
    focus = {graph.value(r, SH.focusNode) for r in graph.objects(report, SH.result)}
    assert URIRef(RESEES) in focus


def test_report_written_with_o_still_exits_1(swapped_dates: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    result = run("validate", str(swapped_dates), "-o", str(out))
    assert_clean_exit(result, 1)
    assert f"<{RESEES}>" in out.read_text(encoding="utf-8")


def test_o_into_an_unwritable_place_is_exit_2() -> None:
    # notes.txt is a file, so notes.txt/report.json cannot be created.
    result = run("validate", "-o", str(BAD / "notes.txt" / "report.json"))
    assert_clean_exit(result, 2)
    assert "notes.txt" in result.stderr


# --- stats ---------------------------------------------------------------------------------------


def test_stats(monkeypatch: pytest.MonkeyPatch, shipped_corpus: Corpus) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = run("stats")
    assert_clean_exit(result, 0)
    out = result.stdout
    assert out.startswith(f"{len(shipped_corpus.union)} triples in the graph")
    for name in DATA_FILES:
        assert re.search(rf"^  data/{re.escape(name)}: \d+ triples — \S", out, re.MULTILINE), name
    assert re.search(r"^\s+seg:Project\s+5$", out, re.MULTILINE)
    assert re.search(r"^\s+seg:SourceDocument\s+5$", out, re.MULTILINE)
    assert "ontology/segraph.ttl" in out
    assert "data/reference/nuts.ttl" in out


def test_stats_on_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    result = run("stats", "data/resees.ttl")
    assert_clean_exit(result, 0)
    documents = result.stdout.split("Facts by source document:")[1].split("Ontology and reference data:")[0]
    assert [line.split(":")[0].strip() for line in documents.strip().splitlines()] == ["data/resees.ttl"]
    assert re.search(r"^\s+seg:Project\s+1$", result.stdout, re.MULTILINE)


# --- the installed console script ----------------------------------------------------------------


def test_installed_console_script_validates_the_shipped_data() -> None:
    beside_python = Path(sys.executable).with_name("segraph")
    script = str(beside_python) if beside_python.exists() else shutil.which("segraph")
    assert script, "the segraph console script is not installed"
    done = subprocess.run([script, "validate"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert "the graph conforms" in done.stdout
    assert "Traceback" not in done.stderr


def test_string_left_open_at_end_of_file_names_its_line(tmp_path: Path) -> None:
    """rdflib reports this case without a line number; the message's context still finds it."""
    bad = tmp_path / "open-string.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b .\nex:a ex:q "never closed', encoding="utf-8")
    result = run("validate", str(bad))
    assert_clean_exit(result, 2)
    assert f"{bad}:4:" in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_role_names_the_participation_that_uses_it(tmp_path: Path) -> None:
    raise_ttl = (REPO_ROOT / "data" / "raise.ttl").read_text(encoding="utf-8")
    broken = tmp_path / "raise.ttl"
    broken.write_text(raise_ttl.replace("seg:role role:advisory-partner", "seg:role role:adviser"), encoding="utf-8")
    result = run("validate", str(broken))
    assert_clean_exit(result, 1)
    assert "Unknown role" in result.stdout
    assert "used by:  participation:raise-center-for-social-innovation seg:role" in result.stdout
    line = next(
        n
        for n, text in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("participation:raise-center-for-social-innovation")
    )
    assert f"line {line}:" in result.stdout
