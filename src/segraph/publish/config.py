"""What only the publisher knows: base URL, publisher, contact, licence, SPARQL endpoint.

Read from a small TOML file (``segraph-publish.toml`` by default, if present) with
sensible defaults, so ``segraph publish --out site`` works with no configuration.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from segraph.errors import UsageError

DEFAULT_FILE = Path("segraph-publish.toml")


@dataclass(frozen=True)
class PublishConfig:
    """Publisher-specific catalogue fields; every field has a default."""

    base_url: str = "https://w3id.org/segraph/"
    publisher_name: str = "segraph"
    publisher_iri: str = "https://w3id.org/segraph/organisation/segraph-project"
    publisher_type: str = "http://purl.org/adms/publishertype/NonProfitOrganisation"
    contact_name: str = "segraph data team"
    contact_email: str = "segraph@example.org"
    contact_url: str = "https://w3id.org/segraph/"
    licence: str = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    licence_type: str = "http://purl.org/adms/licencetype/Attribution"
    sparql_endpoint: str | None = None
    issued: str = "2026-11-25"
    # English labels for EU authority-table codes configured above that segraph does not know
    # (the catalogue describes every code it uses); a TOML table [labels] of IRI = "label".
    labels: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def dataset_iri(self) -> str:
        return self.base_url + "dataset"

    @property
    def catalog_iri(self) -> str:
        return self.base_url + "catalog"

    def url(self, relative: str) -> str:
        """The public URL of a file of the site."""
        return self.base_url + relative


def load_config(path: Path | None = None, base_url: str | None = None) -> PublishConfig:
    """The configuration from a TOML file (optional) and the --base-url option."""
    config = PublishConfig()
    source = path or (DEFAULT_FILE if DEFAULT_FILE.is_file() else None)
    if source is not None:
        try:
            values = tomllib.loads(source.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"{source}: cannot read the publish configuration ({error})") from None
        known = {f.name for f in fields(PublishConfig)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise UsageError(f"{source}: unknown keys {', '.join(unknown)}; known keys: {', '.join(sorted(known))}")
        config = replace(config, **values)
    if base_url:
        config = replace(config, base_url=base_url)
    if not config.base_url.endswith("/"):
        config = replace(config, base_url=config.base_url + "/")
    return config
