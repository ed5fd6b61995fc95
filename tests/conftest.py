"""Shared fixtures: the shipped graph is loaded and validated once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from segraph.load import Corpus, load_corpus
from segraph.validate import ValidationReport, validate_corpus

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_corpus() -> Corpus:
    """Ontology, reference data and data/ as shipped. Read-only: never modify it in a test."""
    return load_corpus()


@pytest.fixture(scope="session")
def shipped_report(shipped_corpus: Corpus) -> ValidationReport:
    return validate_corpus(shipped_corpus)
