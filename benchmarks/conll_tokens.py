"""Between CoNLL-2014's tokenized sentences and natural text, for checkers that read natural text.

- `detokenize(tokens)` joins tokens into the text a person would have typed, changing only the
  whitespace between tokens: no space before , . ; : ! ? ) ] } % or a clitic ('s n't 're 've 'll
  'd 'm), none after ( [ { $, a lone ' sticks to the word before it, and straight double quotes
  alternate between opening (sticks to the next token) and closing (to the one before).
- `retokenize(source_tokens, text)` splits a corrected text into tokens the way the source was
  split, so the M2 scorer sees only what the corrector changed. The text's characters (ignoring
  whitespace) are aligned with the source's; where they are unchanged the source's token
  boundaries are kept, and only a whitespace-separated chunk that holds a changed character is
  split anew, by `tokenize` (an NLTK-like splitter: leading and trailing punctuation, clitics).
  Whitespace added or removed between two letters or digits counts ("health checks" versus
  "healthchecks"); whitespace added or removed next to punctuation does not, since CoNLL's
  tokenized text cannot show it ("his / her" stays the one token "his/her").
"""

import re
from difflib import SequenceMatcher

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "''", "'"}
_DOUBLE_QUOTE = '"'  # opens and closes: which one, only the count tells
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
_CLITIC = re.compile(r"^(?:n[’']t|[’'](?:s|re|ve|ll|d|m))$", re.IGNORECASE)


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The text, and each token's (start, end) in it."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    quote_open = False
    glue_next = False
    for index, token in enumerate(tokens):
        space = index > 0 and not glue_next
        glue_next = False
        if token in _NO_SPACE_BEFORE or _CLITIC.match(token):
            space = False
        elif token == _DOUBLE_QUOTE:
            if quote_open:
                space = False
            else:
                glue_next = True
            quote_open = not quote_open
        if token in _NO_SPACE_AFTER:
            glue_next = True
        if space:
            parts.append(" ")
            position += 1
        parts.append(token)
        spans.append((position, position + len(token)))
        position += len(token)
    return "".join(parts), spans


_LEADING = re.compile(r"^(?:``|[\"'“‘(\[{])")
_TRAILING = re.compile(r"(?:\.\.\.|''|[.,;:!?\"'”’)\]}%])$")
_CLITIC_END = re.compile(r"(?i)(?<=\w)(n[’']t|[’'](?:s|re|ve|ll|d|m))$")
_ABBREVIATION = re.compile(r"^(?:[A-Za-z]\.){2,}$|^(?:etc|Mr|Mrs|Ms|Dr|St|vs)\.$")


def tokenize(chunk: str) -> list[str]:
    """Split one whitespace-free chunk of text into CoNLL-like tokens."""
    leading: list[str] = []
    trailing: list[str] = []
    while chunk:
        if _ABBREVIATION.match(chunk) or _CLITIC.match(chunk):
            break
        if match := _LEADING.match(chunk):
            if len(match.group()) == len(chunk):
                break
            leading.append(match.group())
            chunk = chunk[match.end() :]
            continue
        if match := _TRAILING.search(chunk):
            if len(match.group()) == len(chunk):
                break
            trailing.append(match.group())
            chunk = chunk[: match.start()]
            continue
        if match := _CLITIC_END.search(chunk):
            trailing.append(match.group())
            chunk = chunk[: match.start()]
            continue
        break
    return [*leading, *([chunk] if chunk else []), *reversed(trailing)]


def retokenize(source_tokens: list[str], text: str) -> list[str]:
    """The tokens of `text`, a corrected version of the source, split as the source was."""
    source_text, _ = detokenize(source_tokens)
    source_chars, source_space = _skeleton(source_text)
    source_boundaries, end = set(), 0
    for token in source_tokens:
        end += len(token)
        source_boundaries.add(end)  # in characters without whitespace
    chars, space = _skeleton(text)
    if not chars:
        return []
    # For each character of the text, the source character it is a copy of (None: changed).
    copy_of: list[int | None] = [None] * len(chars)
    deletion_points = set()
    matcher = SequenceMatcher(None, source_chars, chars, autojunk=False)
    for op, i1, _, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            copy_of[j1:j2] = range(i1, i1 + j2 - j1)
        elif op == "delete":
            deletion_points.add(j1)
    # Chunks are runs of characters with no whitespace between them. A chunk that holds a
    # changed character, or lost one inside it, is split anew by `tokenize`.
    chunk_of, chunk = [], 0
    for j in range(len(chars)):
        chunk += space[j]
        chunk_of.append(chunk)
    dirty = {chunk_of[j] for j in range(len(chars)) if copy_of[j] is None}
    dirty |= {chunk_of[j] for j in deletion_points if 0 < j < len(chars) and not space[j]}
    boundaries = set()
    for j in range(1, len(chars)):
        if chunk_of[j] == chunk_of[j - 1] and chunk_of[j] in dirty:
            continue
        before, after = copy_of[j - 1], copy_of[j]
        if before is None or after != before + 1:
            boundaries.add(j)  # whitespace next to a changed or deleted stretch
        elif space[j] != source_space[after] and chars[j - 1].isalnum() and chars[j].isalnum():
            if space[j]:
                boundaries.add(j)  # a word split in two
        elif after in source_boundaries:
            boundaries.add(j)  # as in the source (whitespace changes next to punctuation too)
    for dirty_chunk in dirty:
        positions = [j for j in range(len(chars)) if chunk_of[j] == dirty_chunk]
        offset = positions[0]
        for token in tokenize(chars[positions[0] : positions[-1] + 1])[:-1]:
            offset += len(token)
            boundaries.add(offset)
    tokens, last = [], 0
    for j in sorted(boundaries):
        tokens.append(chars[last:j])
        last = j
    tokens.append(chars[last:])
    return tokens


def _skeleton(text: str) -> tuple[str, list[bool]]:
    """The text without whitespace, and for each character whether whitespace came before it."""
    chars: list[str] = []
    space: list[bool] = []
    pending = False
    for character in text:
        if character.isspace():
            pending = True
            continue
        space.append(pending and bool(chars))
        chars.append(character)
        pending = False
    return "".join(chars), space
