"""Dialogue punctuation and unpaired quotation marks.

A speech tag ("she said", "said Olivia", "Olivia whispered") joins the speech with a comma:
`"Be careful," she said.` and after `!` or `?` the tag stays in lower case: `"Stop!" she said.`
"""

import re
from dataclasses import dataclass

from .. import lexicon
from ..document import Document, Paragraph
from ..findings import Category, Finding, Severity

E, S = Severity.ERROR, Severity.SUGGESTION
D = Category.DIALOGUE_PUNCTUATION

_PRONOUNS = {"he", "she", "they", "i", "we", "you", "it"}
# Capitalized words that start a sentence and are not a speaker's name.
_NOT_NAMES = {
    "the", "a", "an", "but", "and", "then", "so", "his", "her", "their", "its", "this", "that",
    "there", "when", "as", "if", "now", "still", "just", "my", "your", "our", "what", "no",
    "yes", "all", "one", "nobody", "someone", "everyone", "somebody", "after", "before",
}  # fmt: skip
_WORD = re.compile(r"[ \t]*([^\W\d_]+(?:'[^\W\d_]+)?)")
_TAG_END = re.compile(r"[ \t]*(?:[.,!?;:\u2014\u2013-]|$|\n)")
_AFTER_QUESTION_COMMA = re.compile(r"[?!]\"(,)")
_COMMA_OUTSIDE = re.compile(r"(?<=[^\W\d_])(\",)")
_VERB_THEN_QUOTE = re.compile(r"\b([a-z]+)([ \t]+)\"(?=[A-Z])")


@dataclass(frozen=True)
class Tag:
    first_start: int  # the tag's first word
    first: str
    speaker_is_name: bool  # "Olivia said": less certain than "she said" or "said Olivia"
    lowerable: bool  # a pronoun or the verb: written in lower case inside the sentence


def _words(text: str, pos: int, count: int) -> list[tuple[int, int, str]]:
    words = []
    for _ in range(count):
        match = _WORD.match(text, pos)
        if not match:
            break
        words.append((match.start(1), match.end(1), match.group(1)))
        pos = match.end()
    return words


def _ends_tag(text: str, pos: int) -> bool:
    """Whether the tag ends at `pos` (punctuation or line end), perhaps after an -ly word."""
    if _TAG_END.match(text, pos):
        return True
    words = _words(text, pos, 1)
    return bool(words) and words[0][2].endswith("ly") and bool(_TAG_END.match(text, words[0][1]))


def speech_tag(text: str, pos: int) -> Tag | None:
    """The speech tag starting at `pos` (after a closing quote), if there is one."""
    if pos < len(text) and text[pos] not in " \t":
        return None
    words = _words(text, pos, 4)
    if len(words) < 2:
        return None
    verbs = lexicon.speech_verbs()
    first_start, first_end, first = words[0]
    lower = first.lower()

    def speaker(index: int) -> tuple[int, bool] | None:
        """(index after the speaker, is a name) for a speaker starting at words[index]."""
        if index >= len(words):
            return None
        word = words[index][2]
        if word.lower() in _PRONOUNS:
            return index + 1, False
        if word[0].isupper() and word.lower() not in _NOT_NAMES and word.lower() not in verbs:
            following = index + 1
            if following < len(words) and words[following][2][0].isupper():
                following += 1  # "Detective Benson"
            return following, True
        return None

    # "said Olivia", "asked he"
    if lower in verbs:
        found = speaker(1)
        if found and found[0] <= len(words):
            end = words[found[0] - 1][1]
            if not verbs[lower] or _ends_tag(text, end):
                return Tag(first_start, first, speaker_is_name=False, lowerable=True)
    found = speaker(0)
    if not found:
        return None
    index, is_name = found
    if index < len(words) and words[index][2].endswith("ly") and words[index][2] not in verbs:
        index += 1  # "she softly said"
    if index >= len(words) or words[index][2] not in verbs:
        return None
    verb = words[index][2]
    if verbs[verb] and not _ends_tag(text, words[index][1]):
        return None
    return Tag(first_start, first, speaker_is_name=is_name, lowerable=not is_name)


def _lower_first(doc: Document, tag: Tag, findings: list[Finding]) -> None:
    if tag.first[0].isupper() and tag.first != "I" and tag.lowerable:
        findings.append(
            doc.finding(
                tag.first_start,
                tag.first_start + len(tag.first),
                severity=E,
                category=D,
                rule="fiction:dialogue-tag-case",
                message="A speech tag continues the sentence of the speech, so it starts in "
                "lower case.",
                suggestions=(tag.first[0].lower() + tag.first[1:],),
            )
        )


def tag_punctuation(doc: Document) -> list[Finding]:
    text = doc.normalized
    findings: list[Finding] = []
    for paragraph in doc.paragraphs:
        for quote in paragraph.quotes:
            if quote.opens or quote.pos == 0:
                continue
            tag = speech_tag(text, quote.pos + 1)
            if tag is None:
                continue
            before = text[quote.pos - 1]
            severity = S if tag.speaker_is_name else E
            if before == "." and text[quote.pos - 2 : quote.pos] != "..":
                findings.append(
                    doc.finding(
                        quote.pos - 1,
                        quote.pos,
                        severity=severity,
                        category=D,
                        rule="fiction:dialogue-comma",
                        message="Speech followed by a speech tag ends with a comma, not a "
                        "period: “Be careful,” she said.",
                        suggestions=(",",),
                    )
                )
                _lower_first(doc, tag, findings)
            elif before in "!?,":
                _lower_first(doc, tag, findings)
            elif before.isalpha():
                findings.append(
                    doc.finding(
                        quote.pos,
                        quote.pos + 1,
                        severity=severity,
                        category=D,
                        rule="fiction:dialogue-comma",
                        message="Speech followed by a speech tag needs a comma before the "
                        "closing quotation mark.",
                        suggestions=(',"',),
                    )
                )
                _lower_first(doc, tag, findings)
    return findings


def stray_commas(doc: Document) -> list[Finding]:
    text = doc.normalized
    findings = []
    for match in _AFTER_QUESTION_COMMA.finditer(text):
        findings.append(
            doc.finding(
                match.start(1),
                match.end(1),
                severity=E,
                category=D,
                rule="fiction:dialogue-extra-comma",
                message="After a question mark or exclamation mark, the speech needs no comma.",
                suggestions=("",),
            )
        )
    for match in _COMMA_OUTSIDE.finditer(text):
        if speech_tag(text, match.end()) is None:
            continue
        findings.append(
            doc.finding(
                match.start(1),
                match.end(1),
                severity=S,
                category=D,
                rule="fiction:dialogue-comma-inside",
                message="The comma before a speech tag goes inside the quotation marks.",
                suggestions=(',"',),
            )
        )
    verbs = lexicon.speech_verbs()
    for match in _VERB_THEN_QUOTE.finditer(text):
        verb = match.group(1)
        if verb not in verbs or verbs[verb] or doc.in_dialogue(match.start()):
            continue
        findings.append(
            doc.finding(
                match.start(1),
                match.end(1),
                severity=S,
                category=D,
                rule="fiction:dialogue-comma-before",
                message="A speech tag before the speech is followed by a comma: "
                "she said, “Come here.”",
                suggestions=(verb + ",",),
            )
        )
    return findings


def unpaired_quotes(doc: Document) -> list[Finding]:
    findings = []
    paragraphs = doc.paragraphs
    for index, paragraph in enumerate(paragraphs):
        opened = None
        for quote in paragraph.quotes:
            if quote.opens:
                if opened is not None:
                    if _opens_line(doc, quote.pos):
                        # A quotation mark opening each line of a quoted verse repeats the
                        # open one: the quotation goes on.
                        continue
                    findings.append(_unpaired(doc, opened, closing=False))
                opened = quote.pos
            elif opened is None:
                findings.append(_unpaired(doc, quote.pos, closing=True))
            else:
                opened = None
        if opened is not None and not _continues(doc, paragraphs, index):
            findings.append(_unpaired(doc, opened, closing=False))
    return findings


def _opens_line(doc: Document, pos: int) -> bool:
    line_start = doc.normalized.rfind("\n", 0, pos) + 1
    return line_start > 0 and not doc.normalized[line_start:pos].strip()


def _continues(doc: Document, paragraphs: list[Paragraph], index: int) -> bool:
    """A speech that runs on into the next paragraph leaves its quote open, and the next
    paragraph opens with a quotation mark again."""
    if index + 1 >= len(paragraphs):
        return False
    following = paragraphs[index + 1]
    return (
        bool(following.quotes)
        and following.quotes[0].opens
        and (doc.normalized[following.start : following.quotes[0].pos].strip() == "")
    )


def _unpaired(doc: Document, pos: int, *, closing: bool) -> Finding:
    message = (
        "This closing quotation mark has no opening one in its paragraph."
        if closing
        else "This quotation mark is never closed."
    )
    return doc.finding(
        pos,
        pos + 1,
        severity=E,
        category=Category.UNPAIRED_QUOTE,
        rule="fiction:unpaired-quote",
        message=message,
    )


def find(doc: Document) -> list[Finding]:
    return tag_punctuation(doc) + stray_commas(doc) + unpaired_quotes(doc)
