"""Putting a benchmark's latest figures into benchmarks/README.md, between its markers."""

from pathlib import Path

README = Path(__file__).resolve().parent / "README.md"


def replace_section(name: str, body: str, readme: Path = README) -> None:
    """Replace what stands between `<!-- name:begin -->` and `<!-- name:end -->`."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8")
    head, found, rest = text.partition(begin)
    _, found_end, tail = rest.partition(end)
    if not found or not found_end:
        raise SystemExit(f"{readme} has no {begin} … {end} section.")
    readme.write_text(f"{head}{begin}\n{body.strip()}\n{end}{tail}", encoding="utf-8")
