"""The demo's words, read from the YAML files in ``cms/demo/content/``.

A pure leaf module: no models, only files. Editing the texts needs no code change. In the files,
a ``|`` block is one HTML element per line and its lines are joined with nothing between them;
a ``>`` block is prose whose lines YAML joins with a space. Text in the data carries no line
breaks of its own.
"""

import functools
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"


def _join_lines(value):
    if isinstance(value, str):
        return "".join(value.splitlines())
    if isinstance(value, list):
        return [_join_lines(item) for item in value]
    if isinstance(value, dict):
        return {key: _join_lines(item) for key, item in value.items()}
    return value


@functools.cache
def read(name: str) -> dict:
    """The content of ``content/<name>.yaml``, read once per process."""
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return _join_lines(yaml.safe_load(handle))


def strip_ids(data):
    """Stored stream data without its block ids, which are random per save."""
    if isinstance(data, dict):
        return {key: strip_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [strip_ids(item) for item in data]
    return data
