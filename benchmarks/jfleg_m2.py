"""JFLEG's reference corrections as M2 gold edits, so that benchmarks/m2score.py can score them.

JFLEG (Napoles, Sakaguchi & Tetreault 2017; github.com/keisks/jfleg) gives, for each source
sentence, four corrected versions written by four annotators, not edits. Each reference is
turned into one M2 annotator's edits here:

1. The reference goes through the same processing as every system's output
   (`conll_tokens.detokenize`, then `conll_tokens.retokenize` against the source's tokens), so a
   tokenizer's habits in the reference are not edits, exactly as they are not for a system.
2. Source and reference tokens are aligned by token-level Levenshtein distance, as in
   m2score.py: insertion and deletion cost 1, substitution 1 between unlike tokens and 0.5
   between alike ones (the same word in another case or form, or a misspelling of it: equal
   ignoring case, or difflib's character ratio of the lower-cased tokens >= 0.5). So
   "Disadvantage" -> "A disadvantage" aligns as an inserted "A" and a recased word, not as
   "Disadvantage" -> "A" plus an inserted "disadvantage". Among co-optimal alignments, the
   backtrace from the end prefers a match or substitution, then a deletion, then an insertion.
3. Edits: a substitution between alike tokens is an edit of its own (a spelling or word-form
   fix, which annotators mark one word at a time); the other changed tokens (insertions,
   deletions, substitutions between unlike words) are merged with their changed neighbours
   into one edit ("at this time" -> "now" is one edit).

A reference identical to the source gives that annotator no edits (an M2 `noop`). The result is
one `M2Sentence` per source sentence with annotators 0-3, scored by `m2score.score` like
CoNLL-2014's two annotators: best-of-annotators per sentence, or one at a time through
`m2score.single_annotator`.
"""

from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from benchmarks.conll_tokens import detokenize, retokenize
from benchmarks.m2score import GoldEdit, M2Sentence

_INDEL = 2  # costs in halves: insertion, deletion, substitution of unlike tokens
_ALIKE_SUBSTITUTION = 1
ALIKE = 0.5


@lru_cache(maxsize=1 << 18)
def alike(a: str, b: str) -> bool:
    """The same word in another case, another form of it, or a misspelling of it: equal ignoring
    case, or difflib's character ratio of the lower-cased tokens at least ALIKE."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return (
        matcher.real_quick_ratio() >= ALIKE
        and matcher.quick_ratio() >= ALIKE
        and (matcher.ratio() >= ALIKE)
    )


def _substitution_cost(a: str, b: str) -> int:
    if a == b:
        return 0
    return _ALIKE_SUBSTITUTION if alike(a, b) else _INDEL


def align(source: list[str], target: list[str]) -> list[tuple[str, int, int]]:
    """The alignment as (kind, source index, target index) steps in order; kind is "match",
    "sub", "del" or "ins" (for "ins" the source index is where the token goes)."""
    n, m = len(source), len(target)
    cost = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        cost[i][0] = i * _INDEL
    for j in range(1, m + 1):
        cost[0][j] = j * _INDEL
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            cost[i][j] = min(
                cost[i - 1][j - 1] + _substitution_cost(source[i - 1], target[j - 1]),
                cost[i - 1][j] + _INDEL,
                cost[i][j - 1] + _INDEL,
            )
    steps = []
    i, j = n, m
    while i > 0 or j > 0:
        if (
            i > 0
            and j > 0
            and cost[i][j] == cost[i - 1][j - 1] + _substitution_cost(source[i - 1], target[j - 1])
        ):
            kind = "match" if source[i - 1] == target[j - 1] else "sub"
            steps.append((kind, i - 1, j - 1))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i][j] == cost[i - 1][j] + _INDEL:
            steps.append(("del", i - 1, j))
            i -= 1
        else:
            steps.append(("ins", i, j - 1))
            j -= 1
    steps.reverse()
    return steps


def reference_edits(source: list[str], reference: list[str]) -> list[GoldEdit]:
    """The M2 edits that turn the source tokens into the reference tokens (see the module)."""
    edits: list[GoldEdit] = []
    run: list[tuple[str, int, int]] = []

    def close_run() -> None:
        if not run:
            return
        start = run[0][1]
        removed = [i for kind, i, _ in run if kind != "ins"]
        end = removed[-1] + 1 if removed else start
        correction = " ".join(reference[j] for kind, _, j in run if kind != "del")
        edits.append((start, end, " ".join(source[start:end]), (correction,)))
        run.clear()

    for step in align(source, reference):
        kind, i, j = step
        if kind == "match":
            close_run()
        elif kind == "sub" and alike(source[i], reference[j]):
            close_run()
            edits.append((i, i + 1, source[i], (reference[j],)))
        else:
            run.append(step)
    close_run()
    return edits


def to_m2(source: str, references: list[str]) -> M2Sentence:
    """One source sentence (tokenized) and its references as an M2 sentence, annotator k being
    reference k. Each reference is first brought to the source's tokenization (see the module)."""
    tokens = source.split()
    gold = {}
    for annotator, reference in enumerate(references):
        text, _ = detokenize(reference.split())
        gold[annotator] = reference_edits(tokens, retokenize(tokens, text))
    return M2Sentence(source=" ".join(tokens), gold=gold)


def read_jfleg(folder: Path, split: str) -> list[M2Sentence]:
    """JFLEG's `dev` or `test` half from a folder holding `dev/` and `test/` as in its repository
    (`{split}/{split}.src` and `{split}/{split}.ref0` to `.ref3`)."""
    if split not in ("dev", "test"):
        raise ValueError(f"JFLEG has a dev and a test half, not {split!r}.")
    base = Path(folder) / split
    sources = (base / f"{split}.src").read_text(encoding="utf-8").splitlines()
    references = []
    for k in range(4):
        lines = (base / f"{split}.ref{k}").read_text(encoding="utf-8").splitlines()
        if len(lines) != len(sources):
            raise ValueError(f"{base}/{split}.ref{k}: {len(lines)} lines for {len(sources)}.")
        references.append(lines)
    return [
        to_m2(source, [refs[index] for refs in references]) for index, source in enumerate(sources)
    ]
