from benchmarks.conll2014 import UNATTRIBUTED, _rule_for
from benchmarks.conll_tokens import detokenize

TOKENS = "However we are diagonosed with it .".split()
TEXT, SPANS = detokenize(TOKENS)  # "However we are diagonosed with it."


def rule_for(edit, findings):
    return _rule_for(edit, findings, SPANS, len(TEXT))


def test_an_edit_is_credited_to_the_finding_over_its_tokens():
    findings = [(0, 7, "harper:Punctuation"), (15, 25, "harper:Spelling")]
    assert TEXT[15:25] == "diagonosed"
    assert rule_for((3, 4, "diagonosed", "diagnosed"), findings) == "harper:Spelling"


def test_an_inserted_token_is_credited_to_the_finding_beside_the_gap():
    findings = [(0, 7, "harper:Punctuation"), (15, 25, "harper:Spelling")]
    assert rule_for((1, 1, "", ","), findings) == "harper:Punctuation"


def test_an_edit_with_no_finding_near_it_says_so():
    assert rule_for((5, 6, "it", "them"), [(0, 7, "harper:Punctuation")]) == UNATTRIBUTED
