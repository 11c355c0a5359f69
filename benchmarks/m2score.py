"""The MaxMatch (M2) scorer of the CoNLL-2014 shared task, reimplemented in Python 3.

Dahlmeier & Ng (2012), "Better Evaluation for Grammatical Error Correction", as the NUS M2
scorer 3.2 computes it (`m2scorer SYSTEM SOURCE_GOLD` with its defaults: beta 0.5, at most two
unchanged words in one edit, whitespace and casing not ignored):

1. Two token-level Levenshtein matrices between the source and the hypothesis, one with
   substitution cost 1 and one with cost 2; every co-optimal step of either is an edge of one edit
   lattice (vertices are matrix cells).
2. Transitive edges: any two adjacent edges are merged into one edge (an edit spanning both)
   while the merged edit keeps at most `max_unchanged_words` unchanged tokens; merged edges that
   only copy tokens are dropped.
3. For each annotator, an edge whose edit equals a gold edit (same span, same original tokens,
   correction among the gold alternatives) weighs -len(E); other edits weigh 1 + 0.001 per
   pass; the shortest path (Bellman-Ford) is the system's edit sequence that best matches gold.
4. Per sentence, the annotator whose edits give the highest F-beta of the running corpus totals is
   chosen (ties: more correct edits, then fewer proposed + beta^2 * gold); corpus P, R, F-beta
   come from the summed counts. P is 1.0 when nothing is proposed, R is 1.0 when nothing is gold.

The official scorer's quirks are kept on purpose, so the figures are comparable with published
ones: lattice edges found in both matrices are listed twice (and so get twice the epsilon), the
first-row insertions carry the hypothesis index as their offset, and the removal of copy-only
merged edges skips the element after each removal. Only where the official scorer would crash
(an edge left in the list after its edit was deleted) does this one skip the edge instead.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path

EPSILON = 0.001

# An edit: (start, end, original tokens, correction tokens), offsets in source tokens.
Edit = tuple[int, int, str, str]
# A gold edit: (start, end, original tokens, the accepted corrections).
GoldEdit = tuple[int, int, str, tuple[str, ...]]
# A lattice edit: (kind, start, end, original, correction, unchanged tokens); kind is one of
# "ins", "del", "sub", "noop".
_LatticeEdit = tuple[str, int, int, str, str, int]
_Vertex = tuple[int, int]
_Edge = tuple[_Vertex, _Vertex]


@dataclass
class M2Sentence:
    """One `S` line of an M2 file and its gold edits, by annotator id."""

    source: str
    gold: dict[int, list[GoldEdit]]


@dataclass
class SentenceScore:
    annotator: int
    proposed: list[Edit]  # in source order
    correct: list[Edit]
    gold: list[GoldEdit]


@dataclass
class Score:
    correct: int
    proposed: int
    gold: int
    beta: float = 0.5
    sentences: list[SentenceScore] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f_score(self) -> float:
        p, r, b2 = self.precision, self.recall, self.beta * self.beta
        if b2 * p + r == 0:
            return 0.0
        return (1 + b2) * p * r / (b2 * p + r)


# --- Reading the gold file ---------------------------------------------------------------------


def parse_m2(text: str) -> list[M2Sentence]:
    """The sentences of an M2 file's text, as the official scorer's `load_annotation` reads them.

    A `noop` edit (or offsets -1 -1) makes its annotator count for the sentence with no edits.
    A sentence without any `A` line has annotator 0 with no edits.
    """
    sentences = []
    for block in _paragraphs(text.splitlines()):
        source_lines = [line[2:].strip() for line in block if line.startswith("S ")]
        if not source_lines:
            raise ValueError(f"An M2 block has no S line: {block[0]!r}")
        tokens = " ".join(source_lines).split()
        annotations: dict[int, list[GoldEdit]] = {}
        for line in block[1:]:
            if line.startswith(("S ", "I ")):
                continue
            if not line.startswith("A "):
                raise ValueError(f"Not an M2 line: {line!r}")
            fields = line[2:].split("|||")
            start, end = (int(x) for x in fields[0].split()[:2])
            if fields[1] == "noop":
                start = end = -1
            corrections = tuple("" if c == "-NONE-" else c.strip() for c in fields[2].split("||"))
            original = " ".join(tokens[start:end])
            annotations.setdefault(int(fields[5]), []).append((start, end, original, corrections))
        offset = 0
        for source in source_lines:
            offset += len(source.split())
            gold = {
                annotator: [e for e in edits if 0 <= e[0] <= offset and 0 <= e[1] <= offset]
                for annotator, edits in annotations.items()
            }
            sentences.append(M2Sentence(source=source, gold=gold or {0: []}))
    return sentences


def read_m2(path: str | Path) -> list[M2Sentence]:
    return parse_m2(Path(path).read_text(encoding="utf-8"))


def _paragraphs(lines: list[str]):
    block: list[str] = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


# --- Scoring -----------------------------------------------------------------------------------


def score(
    hypotheses: list[str],
    sentences: list[M2Sentence],
    *,
    beta: float = 0.5,
    max_unchanged_words: int = 2,
) -> Score:
    """Score tokenized hypotheses (one per sentence, tokens split on whitespace) against gold."""
    if len(hypotheses) != len(sentences):
        raise ValueError(f"{len(hypotheses)} hypotheses for {len(sentences)} sentences.")
    b2 = beta * beta
    total_correct = total_proposed = total_gold = 0
    details = []
    for hypothesis, sentence in zip(hypotheses, sentences, strict=True):
        lattice = _Lattice(sentence.source.split(), hypothesis.strip().split())
        lattice.add_transitive_edges(max_unchanged_words)
        best = None  # (f, correct, proposed + b2 * gold) of the running totals, and the detail
        for annotator in sorted(sentence.gold):
            gold = sentence.gold[annotator]
            proposed = lattice.best_edit_sequence(gold)
            correct = _matches(proposed, gold)
            c = total_correct + len(correct)
            p = total_proposed + len(proposed)
            g = total_gold + len(gold)
            f = _f_of_counts(c, p, g, beta)
            if (
                best is None
                or best[0] < f
                or (best[0] == f and best[1] < c)
                or (best[0] == f and best[1] == c and best[2] > p + b2 * g)
            ):
                best = (f, c, p + b2 * g, SentenceScore(annotator, proposed, correct, gold))
        chosen = best[3]
        total_correct += len(chosen.correct)
        total_proposed += len(chosen.proposed)
        total_gold += len(chosen.gold)
        details.append(chosen)
    return Score(total_correct, total_proposed, total_gold, beta=beta, sentences=details)


def single_annotator(sentences: list[M2Sentence], annotator: int) -> list[M2Sentence]:
    """The sentences with only one annotator's gold edits, for single-annotator figures.

    Where that annotator left no line for a sentence, the sentence counts as needing no edit
    for them (as a `noop` would say).
    """
    return [
        M2Sentence(source=s.source, gold={annotator: list(s.gold.get(annotator, []))})
        for s in sentences
    ]


def annotators(sentences: list[M2Sentence]) -> list[int]:
    """Every annotator id that occurs in the sentences, in order."""
    return sorted({annotator for s in sentences for annotator in s.gold})


def shrink(edit: Edit) -> Edit:
    """The edit without the unchanged tokens at its ends, as the official verbose output shows it.

    An edit that matches no gold edit is often merged with up to `max_unchanged_words` unchanged
    neighbours ("The cat -> A cat"); it still counts once.
    """
    start, end, original, correction = edit
    before, after = original.split(), correction.split()
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    return (
        start + head,
        end - tail,
        " ".join(before[head : len(before) - tail]),
        " ".join(after[head : len(after) - tail]),
    )


def _f_of_counts(correct: int, proposed: int, gold: int, beta: float) -> float:
    b2 = beta * beta
    denominator = b2 * gold + proposed
    if denominator == 0:
        return 1.0 if correct == 0 else 0.0
    return (1 + b2) * correct / denominator


def _gold_matches(edit: Edit, gold: GoldEdit) -> bool:
    return edit[0] == gold[0] and edit[1] == gold[1] and edit[2] == gold[2] and edit[3] in gold[3]


def _matches(proposed: list[Edit], gold: list[GoldEdit]) -> list[Edit]:
    # As the official matchSeq: gold edits are searched in file order from the last match on, and
    # an edit that matches several gold edits counts once for each.
    matched, last = [], 0
    for edit in proposed:
        for index in range(last, len(gold)):
            if _gold_matches(edit, gold[index]):
                matched.append(edit)
                last = index + 1
    return matched


class _Lattice:
    """The edit lattice between a source and a hypothesis, in token coordinates."""

    def __init__(self, source: list[str], hypothesis: list[str]):
        edges1 = _lattice_edges(source, hypothesis, substitution_cost=1)
        edges2 = _lattice_edges(source, hypothesis, substitution_cost=2)
        self.edits: dict[_Edge, _LatticeEdit] = {**edges2, **edges1}
        vertices = {v for edge in self.edits for v in edge} | {(0, 0)}
        self.vertices: list[_Vertex] = sorted(vertices)
        # Edges found by both matrices are listed twice, as in the official merge_graph.
        self.edges: list[_Edge] = sorted([*edges1, *edges2])
        self.dist: dict[_Edge, float] = dict.fromkeys(self.edits, 1.0)

    def add_transitive_edges(self, max_unchanged_words: int) -> None:
        edits, dist = self.edits, self.dist
        predecessors: dict[_Vertex, set[_Vertex]] = {v: set() for v in self.vertices}
        successors: dict[_Vertex, set[_Vertex]] = {v: set() for v in self.vertices}
        for a, b in edits:
            successors[a].add(b)
            predecessors[b].add(a)
        # Floyd-Warshall order over the sorted vertices, as the official transitive_arcs; only
        # pairs joined by existing edges are visited (the others are skipped there too).
        for vk in self.vertices:
            for vi in sorted(predecessors[vk]):
                for vj in sorted(successors[vk]):
                    d = dist[(vi, vk)] + dist[(vk, vj)]
                    if d < dist.get((vi, vj), math.inf):
                        merged = _merge(edits[(vi, vk)], edits[(vk, vj)])
                        if merged[5] <= max_unchanged_words:
                            self.edges.append((vi, vj))
                            dist[(vi, vj)] = d
                            edits[(vi, vj)] = merged
                            successors[vi].add(vj)
                            predecessors[vj].add(vi)
        # Merged edges that only copy tokens are dropped. Removing from the list being iterated
        # skips the next edge, exactly as the official scorer does.
        for edge in self.edges:
            edit = edits.get(edge)
            if edit is not None and edit[0] == "noop" and dist[edge] > 1:
                self.edges.remove(edge)
                dist[edge] = math.inf
                del edits[edge]
        self.edges = [edge for edge in self.edges if edge in edits]

    def best_edit_sequence(self, gold: list[GoldEdit]) -> list[Edit]:
        weights = self._weights(gold)
        distance = dict.fromkeys(self.vertices, math.inf)
        distance[(0, 0)] = 0.0
        previous: dict[_Vertex, _Vertex] = {}
        # Bellman-Ford in the official edge order (ties keep the first path found); stopping when
        # a pass changes nothing gives the same result as running all len(V) - 1 passes.
        for _ in range(len(self.vertices) - 1):
            changed = False
            for edge in self.edges:
                v, w = edge
                if distance[v] + weights[edge] < distance[w]:
                    distance[w] = distance[v] + weights[edge]
                    previous[w] = v
                    changed = True
            if not changed:
                break
        sequence = []
        v = self.vertices[-1]
        while v in previous:
            w = previous[v]
            edit = self.edits[(w, v)]
            if edit[0] != "noop":
                sequence.append((edit[1], edit[2], edit[3], edit[4]))
            v = w
        sequence.reverse()
        return sequence

    def _weights(self, gold: list[GoldEdit]) -> dict[_Edge, float]:
        """Gold-matching edges weigh -len(E), other edits EPSILON more (official set_weights)."""
        edits, weights = self.edits, dict(self.dist)
        low = -len(self.edges)
        by_span: dict[tuple[int, int], list[_Edge]] = {}
        gold_by_span: dict[tuple[int, int], list[GoldEdit]] = {}
        for edge in self.edges:
            by_span.setdefault(edits[edge][1:3], []).append(edge)
        for g in gold:
            gold_by_span.setdefault((g[0], g[1]), []).append(g)

        def matches(edit: _LatticeEdit, g: GoldEdit) -> bool:
            return _gold_matches(edit[1:5], g)

        for span in sorted(by_span):
            group = sorted(by_span[span])
            golds = gold_by_span.get(span, [])
            if span[0] != span[1]:
                # Deletions and substitutions: parallel edges may all match.
                for edge in group:
                    if any(matches(edits[edge], g) for g in golds):
                        weights[edge] = low
                    elif edits[edge][0] != "noop":
                        weights[edge] += EPSILON
                continue
            # Insertions at one position: match gold insertions in order, alternately from the
            # left and from the right of the sorted edges, as the official scorer does.
            left, right, cur = 0, len(group) - 1, 0
            g_left, g_right = 0, len(golds) - 1
            while left <= right:
                edge = group[cur]
                order = range(g_left, g_right + 1)
                matched = None
                for i in order if cur == left else reversed(order):
                    if matches(edits[edge], golds[i]):
                        matched = i
                        break
                if matched is None:
                    if edits[edge][0] != "noop":
                        weights[edge] += EPSILON
                    if cur == left:
                        left, cur = left + 1, right
                    else:
                        right, cur = right - 1, left
                    continue
                weights[edge] = low
                if cur == left:
                    g_left = matched + 1
                    left += 1
                    while left < len(group) and group[left][0] != group[cur][1]:
                        weights[group[left]] += EPSILON
                        left += 1
                    cur = left
                else:
                    g_right = matched - 1
                    right -= 1
                    while right >= 0 and group[right][1] != group[cur][0]:
                        weights[group[right]] += EPSILON
                        right -= 1
                    cur = right
        return weights


def _lattice_edges(
    source: list[str], hypothesis: list[str], *, substitution_cost: int
) -> dict[_Edge, _LatticeEdit]:
    """Every co-optimal step of the Levenshtein alignment reachable back from the last cell."""
    n, m = len(source), len(hypothesis)
    d = [[0] * (m + 1) for _ in range(n + 1)]
    steps: dict[_Vertex, list[tuple[_Vertex, _LatticeEdit]]] = {}
    for i in range(1, n + 1):
        d[i][0] = i
        steps[(i, 0)] = [((i - 1, 0), ("del", i - 1, i, source[i - 1], "", 0))]
    for j in range(1, m + 1):
        d[0][j] = j
        # The official scorer gives these insertions the hypothesis index as their offset.
        steps[(0, j)] = [((0, j - 1), ("ins", j - 1, j - 1, "", hypothesis[j - 1], 0))]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            same = source[i - 1] == hypothesis[j - 1]
            substitution = d[i - 1][j - 1] + (0 if same else substitution_cost)
            deletion = d[i - 1][j] + 1
            insertion = d[i][j - 1] + 1
            best = min(substitution, deletion, insertion)
            d[i][j] = best
            cell = steps[(i, j)] = []
            if substitution == best:
                kind, unchanged = ("noop", 1) if same else ("sub", 0)
                edit = (kind, i - 1, i, source[i - 1], hypothesis[j - 1], unchanged)
                cell.append(((i - 1, j - 1), edit))
            if deletion == best:
                cell.append(((i - 1, j), ("del", i - 1, i, source[i - 1], "", 0)))
            if insertion == best:
                cell.append(((i, j - 1), ("ins", i, i, "", hypothesis[j - 1], 0)))
    edges: dict[_Edge, _LatticeEdit] = {}
    seen, queue = set(), [(n, m)]
    while queue:
        v = queue.pop()
        if v in seen:
            continue
        seen.add(v)
        for u, edit in steps.get(v, ()):
            edges[(u, v)] = edit
            queue.append(u)
    return edges


def _merge(first: _LatticeEdit, second: _LatticeEdit) -> _LatticeEdit:
    """One edit covering two adjacent ones (the official merge_edits)."""
    kind1, start, _, orig1, corr1, same1 = first
    kind2, _, end, orig2, corr2, same2 = second
    unchanged = same1 + same2
    if kind1 == "noop" and kind2 == "noop":
        return ("noop", start, end, f"{orig1} {orig2}", f"{corr1} {corr2}", unchanged)
    original = " ".join(x for x, kind in ((orig1, kind1), (orig2, kind2)) if kind != "ins")
    correction = " ".join(x for x, kind in ((corr1, kind1), (corr2, kind2)) if kind != "del")
    if kind1 == "ins" and kind2 == "ins":
        return ("ins", start, end, "", correction, unchanged)
    if kind1 == "del" and kind2 == "del":
        return ("del", start, end, original, "", unchanged)
    return ("sub", start, end, original, correction, unchanged)
