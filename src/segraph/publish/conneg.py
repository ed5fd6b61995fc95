"""Content negotiation: one IRI, three representations (HTML, Turtle, JSON-LD) chosen by Accept.

Every resource page ``project/silk.html`` has ``project/silk.ttl`` and ``project/silk.jsonld``
beside it, so serving an IRI is choosing a file suffix. The same rule drives the nginx
snippet written into the site (for publishers) and ``segraph serve`` (for local browsing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Media type → suffix, in the server's order of preference when the client ranks them equally.
VARIANTS: tuple[tuple[str, str], ...] = (
    ("text/html", ".html"),
    ("application/xhtml+xml", ".html"),
    ("text/turtle", ".ttl"),
    ("application/x-turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/json", ".jsonld"),
)

# Media types of the site's files, for the server's types table.
MEDIA_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".nt": "application/n-triples",
    ".gz": "application/gzip",
    ".rq": "application/sparql-query",
    ".css": "text/css; charset=utf-8",
}

NGINX_HTTP = "nginx/http.conf"
NGINX_SERVER = "nginx/server.conf"


def _ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values (RFC 9110 §12.5.1)."""
    ranges = []
    for part in accept.split(","):
        fields = [field.strip() for field in part.split(";")]
        if not fields[0]:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranges.append((fields[0].lower(), quality))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value the client gives a media type: the most specific matching range decides."""
    major = media_type.split("/")[0]
    best: tuple[int, float] = (-1, 0.0)
    for media_range, quality in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{major}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, quality)
    return best[1]


def best(accept: str | None, offers: tuple[tuple[str, T], ...], default: T) -> T:
    """The offer the client ranks highest (first offer wins a tie); ``default`` when none is acceptable."""
    if not accept:
        return default
    ranges = _ranges(accept)
    chosen, chosen_quality = default, 0.0
    for media_type, value in offers:
        quality = _quality(media_type, ranges)
        if quality > chosen_quality:
            chosen, chosen_quality = value, quality
    return chosen


def negotiate(accept: str | None) -> str:
    """The file suffix to serve for an Accept header; HTML when nothing (or nothing known) is asked for."""
    return best(accept, VARIANTS, ".html")


def nginx_http() -> str:
    """The ``map`` for nginx's http block: the Accept header → the suffix of the file to serve.

    nginx's map takes the first matching pattern and ignores q-values, so HTML wins whenever a
    browser asks for it; RDF clients that ask for Turtle or JSON-LD (and not HTML) get those.
    """
    patterns = "\n".join(f'    "~*{media_type.replace("+", "[+]")}" "{suffix}";' for media_type, suffix in VARIANTS)
    return f"""# segraph: which representation of a resource to serve, by the Accept header.
# Written by `segraph publish`. Include it in nginx's http block:
#     include /path/to/site/{NGINX_HTTP};

map $http_accept $segraph_variant {{
    default ".html";
{patterns}
}}
"""


def nginx_server() -> str:
    """The part for the site's server block: media types, and IRI → page, Turtle or JSON-LD file."""
    types = "\n".join(
        f"    {media_type.split(';')[0]} {suffix.lstrip('.')};" for suffix, media_type in sorted(MEDIA_TYPES.items())
    )
    return f"""# segraph: serve each resource IRI as HTML, Turtle or JSON-LD (needs {NGINX_HTTP}).
# Written by `segraph publish`. Include it in the server block whose root is the site:
#     root /path/to/site;
#     include /path/to/site/{NGINX_SERVER};
# `segraph serve` applies the same rule locally.

types {{
{types}
}}
charset utf-8;
charset_types text/turtle text/css application/sparql-query;
index index.html;

location / {{
    add_header Vary Accept always;
    try_files $uri $uri$segraph_variant $uri.html $uri/index.html =404;
}}
"""


def write_conneg(out: Path) -> list[str]:
    """Write the two nginx snippets into the site."""
    (out / "nginx").mkdir(exist_ok=True)
    (out / NGINX_HTTP).write_text(nginx_http(), encoding="utf-8")
    (out / NGINX_SERVER).write_text(nginx_server(), encoding="utf-8")
    return [NGINX_HTTP, NGINX_SERVER]
