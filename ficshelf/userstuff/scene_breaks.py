"""Divider lines between scenes: ***, * * *, ---, ~~~, #, o0o, oOo, xXx, =+=, and the like."""

import re

# Characters a divider is drawn with; any other character (besides spaces) makes a line text.
_NOT_DIVIDER = re.compile(r"[^\s*~#=_+\-•·]")
_LETTER_DIVIDER = "oO0xX"


def is_scene_break(line: str) -> bool:
    """Whether `line` is only a divider. Linear in its length (it is called on every line of a
    chapter, and a line may be the whole chapter)."""
    line = line.strip()
    if not line:
        return False
    if line.isalnum():
        # Letter dividers read the same both ways (o0o, xXx); "xoxo" or "Oooo" is a word.
        return (
            len(line) >= 3
            and not line.strip(_LETTER_DIVIDER)
            and not line.isdigit()
            and line == line[::-1]
        )
    return not _NOT_DIVIDER.search(line)
