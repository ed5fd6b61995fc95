"""Known violations of ontology/shapes.ttl, injected into generated projects, with the results a validator
must report (as segraph's ValidationResult names them). Each mutation uses no randomness."""

from __future__ import annotations

from collections.abc import Callable

from segraph.namespaces import PREFIXES
from synthetic.records import ProjectRecord
from synthetic.terms import DERIVED, LABEL, Iri, Lit, Statements, Term, full_iri, v

Expected = dict[str, object]
START, END = v("dcat:startDate"), v("dcat:endDate")


def _expect(kind: str, focus: Iri, path: Iri | tuple[Iri, ...] | None, shape: str) -> Expected:
    """One result as segraph's ValidationResult names it; a blank property shape is named by its node shape."""
    return {
        "kind": kind,
        "focus": full_iri(focus),
        "path": None if path is None else full_iri(path) if isinstance(path, Iri) else [full_iri(p) for p in path],
        "source_shape": PREFIXES["segsh"] + shape,
        "severity": "Violation",
    }


def _replace(statements: Statements, predicate: Iri, new: Term) -> None:
    """Replace the first value of ``predicate`` in place."""
    at = next(i for i, (p, _) in enumerate(statements) if p == predicate)
    statements[at] = (predicate, new)


def _literal(statements: Statements, predicate: Iri) -> Lit:
    value = next(o for p, o in statements if p == predicate)
    assert isinstance(value, Lit), f"{predicate} holds an IRI, not a literal"
    return value


def _drop(statements: Statements, predicate: Iri) -> None:
    statements[:] = [s for s in statements if s[0] != predicate]


def _end_before_start(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    start = _literal(record.period, START)
    _replace(record.period, END, Lit(str(int(start.lexical[:4]) - 1), datatype="gYear"))
    return [_expect(kind, record.resources[0][0], v("seg:period"), "PeriodOwnerShape")]


def _malformed_date(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    end = _literal(record.period, END)
    _replace(record.period, END, Lit(f"{end.lexical[:4]}-13-45", datatype="date"))
    return [_expect(kind, record.resources[1][0], END, "PeriodEndShape")]


def _participation_without(predicate: str) -> Callable[[str, ProjectRecord, int], list[Expected]]:
    def mutate(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
        subject, statements = record.participation()
        _drop(statements, Iri("seg", predicate))
        return [_expect(kind, subject, Iri("seg", predicate), "ParticipationShape")]

    return mutate


def _label_without_language(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _replace(record.project, LABEL, Lit(_literal(record.project, LABEL).lexical))
    return [_expect(kind, record.resources[0][0], LABEL, "LabelLanguageShape")]


def _title_without_language(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    title = v("dct:title")
    _replace(record.project, title, Lit(_literal(record.project, title).lexical))
    return [_expect(kind, record.resources[0][0], title, "TitleLanguageShape")]


def _missing_label(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _drop(record.project, LABEL)
    return [_expect(kind, record.resources[0][0], (LABEL, Iri("skos", "prefLabel")), "LabelShape")]


def _amount_without_currency(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    currency = v("schema:currency")
    _drop(record.amount, currency)
    return [_expect(kind, record.resources[2][0], currency, "MonetaryAmountShape")]


def _project_without_source_document(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _drop(record.project, DERIVED)
    return [_expect(kind, record.resources[0][0], DERIVED, "SourcedShape")]


def _malformed_country(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    """A participant country in lower case: fails the IRI pattern and is in no scheme (two results, as the fixture).

    The injection number makes each malformed IRI distinct, so no two injections share a focus node.
    """
    subject, statements = record.participation()
    country = Iri("country", f"{record.organisations[-1].country.code.lower()}-{k}")
    statements.insert(len(statements) - 1, (v("seg:participantCountry"), country))
    return [
        _expect(kind, country, None, "CountryShape"),
        _expect(kind, country, Iri("skos", "inScheme"), "CountryShape"),
    ]


VIOLATIONS: dict[str, Callable[[str, ProjectRecord, int], list[Expected]]] = {
    "end-before-start": _end_before_start,
    "participation-without-role": _participation_without("role"),
    "label-without-language": _label_without_language,
    "malformed-country": _malformed_country,
    "amount-without-currency": _amount_without_currency,
    "missing-label": _missing_label,
    "participation-without-organisation": _participation_without("organisation"),
    "project-without-source-document": _project_without_source_document,
    "malformed-date": _malformed_date,
    "title-without-language": _title_without_language,
}
KINDS = tuple(VIOLATIONS)
