"""What the checker reports: findings with offsets, severity, category and fixes."""

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # almost certainly wrong
    SUGGESTION = "suggestion"  # probably wrong
    STYLE = "style"  # a matter of taste; off unless asked for


class Category(StrEnum):
    SPELLING = "spelling"
    CONFUSABLE = "confusable"  # then/than, its/it's, your/you're, there/their/they're ...
    MODAL_OF = "modal-of"  # should of -> should have
    USED_TO = "used-to"  # use to / suppose to
    PAST_FORM = "past-form"  # wrong past tense or participle
    REAL_WORD_TYPO = "real-word-typo"  # form/from, causal/casual, quite/quiet
    COMPOUND = "compound"  # a lot / alot, every day / everyday
    MISSING_WORD = "missing-word"
    AGREEMENT = "agreement"
    DIALOGUE_PUNCTUATION = "dialogue-punctuation"
    UNPAIRED_QUOTE = "unpaired-quote"
    DOUBLED_WORD = "doubled-word"
    PUNCTUATION = "punctuation"
    CAPITALIZATION = "capitalization"
    GRAMMAR = "grammar"
    STYLE = "style"


@dataclass(frozen=True)
class Finding:
    """One problem in a text. `start`/`end` are str offsets: text[start:end] == self.text."""

    start: int
    end: int
    text: str
    severity: Severity
    category: Category
    rule: str  # a stable id: "harper:ThenThan", "fiction:dialogue-comma", ...
    message: str
    suggestions: tuple[str, ...] = field(default=())  # each replaces text[start:end]

    def as_json(self) -> dict:
        data = asdict(self)
        data["severity"] = str(self.severity)
        data["category"] = str(self.category)
        data["suggestions"] = list(self.suggestions)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Finding":
        return cls(
            **{
                **data,
                "severity": Severity(data["severity"]),
                "category": Category(data["category"]),
                "suggestions": tuple(data["suggestions"]),
            }
        )


@dataclass
class CheckResult:
    findings: list[Finding]
    # Set when the text was not checked, e.g. "This text does not look like English."
    skipped_reason: str | None = None
    word_count: int = 0

    def as_json(self) -> dict:
        return {
            "findings": [finding.as_json() for finding in self.findings],
            "skipped_reason": self.skipped_reason,
            "word_count": self.word_count,
        }

    @classmethod
    def from_json(cls, data: dict) -> "CheckResult":
        return cls(
            findings=[Finding.from_json(finding) for finding in data["findings"]],
            skipped_reason=data["skipped_reason"],
            word_count=data["word_count"],
        )

    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in Severity}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts
