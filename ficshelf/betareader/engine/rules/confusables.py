"""Sound-alikes and real-word typos: words a spell-checker passes because the wrong word is
a word too (then/than, its/it's, form/from, quite/quiet, breath/breathe ...).

Two layers. Context patterns catch the positions where one member of a pair is (almost) never
right. Then the bigram layer weighs each word of `lexicon/confusion_pairs.txt` against its
partner using symspellpy's bigram counts on both sides, and suggests the partner only when
both neighbours favour it and together by a wide margin.
"""

import functools
import re

from .. import lexicon
from ..document import Document, match_case
from ..findings import Category, Finding, Severity
from .patterns import Pattern, pattern, run_patterns, words_alternation

E, S = Severity.ERROR, Severity.SUGGESTION
C, T = Category.CONFUSABLE, Category.REAL_WORD_TYPO

_PRONOUNS = r"I|you|he|she|it|we|they|who"
_DET = r"the|a|an|his|her|my|your|their|our|its|this|that|these|those|him|me|them|us|it"
_MODAL = (
    r"to|will|won't|would|wouldn't|can|can't|cannot|could|couldn't|should|shouldn't|must|might"
    r"|may|don't|didn't|doesn't|gonna|'ll|'d"
)
_NEGATED = re.compile(r"\b(?:not|n't|isn't|wasn't)\s*$")
_END = r"(?=\s*(?:[.,!?;:\"]|$))"
# Verbs of looking and moving: after them comes where ("looked below", "walked through the
# door", "ran past the guards"), so a real word in that place that is one slip from a
# preposition or adverb of place is that word.
_MOVING = (
    "look looks looked looking glance glances glanced glancing peer peers peered peering "
    "stare stares stared staring gaze gazes gazed gazing peek peeked peeking peep peeped "
    "walk walks walked walking run runs ran running go goes went going gone come comes came "
    "coming climb climbs climbed climbing fall falls fell falling fallen drop drops dropped "
    "dropping sink sinks sank sinking sunk dive dives dived dove diving jump jumps jumped "
    "jumping move moves moved moving step steps stepped stepping drive drives drove driving "
    "ride rides rode riding fly flies flew flying swim swims swam swimming crawl crawled "
    "crawling slip slipped slipping slide slid sliding push pushed pushing rush rushed "
    "hurry hurried headed heading stumbled stumbling wandered wandering"
).split()
# The slips: a real word for the place word it is one letter (or one sound) from.
_PLACE_SLIPS = {"bellow": "below", "threw": "through", "thorough": "through"}
# Words after which "below" stands as an adverb of place ("far below", "from below").
_BEFORE_BELOW = "down far just directly right deep straight from".split()
# The verb forms of _MOVING that are no noun: "the fall threw him" is a noun and a verb.
_MOVED = re.compile(
    r"(?:ed|ing)$|^(?:ran|went|gone|came|fell|fallen|sank|sunk|dove|drove|rode|flew|swam|slid)$"
)


# The bigram layer: how much likelier the partner must be, both sides together, as
# P(before, other) * P(other, after) / P(other) against the same for the word written.
BIGRAM_RATIO = 50.0
# The smoothing count for a pair absent from the bigram list (half its listing threshold).
_UNSEEN = lexicon.BIGRAM_FLOOR / 2
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")


def _not_negated(doc: Document, match: re.Match) -> bool:
    """Not "not quite": there "quite" is right."""
    return not _NEGATED.search(doc.normalized, max(0, match.start() - 12), match.start())


# A possessive after one of these owns what follows: "near to your home", "of their being
# engaged", "on its being proposed" (a possessive before a gerund), never "you're", "they're".
PREPOSITIONS = frozenset(
    "to at in on from near into onto of for by with without outside inside behind under over "
    "about around through across against towards toward upon off after before beyond beside "
    "besides between within like till until".split()
    # Verbs that take a possessive and a gerund: "prevented their being seen".
    + "prevent prevented prevents advise advised tolerate tolerated excuse excused forgive "
    "forgave mind minded avoid avoided risk risked delay delayed postpone postponed".split()
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")


def after_preposition(doc: Document, position: int) -> bool:
    """Whether the word just before `position` is a preposition."""
    match = _WORD_BEFORE.search(doc.normalized, max(0, position - 20), position)
    return bool(match) and match.group(1).lower() in PREPOSITIONS


def _not_after_preposition(doc: Document, match: re.Match) -> bool:
    return not after_preposition(doc, match.start("x"))


def _comparison_before(doc: Document, match: re.Match, comparatives: str) -> bool:
    """A comparative earlier in the clause: "more alarmed about him now than", "rather right
    than pleasant" compare after all."""
    before = doc.normalized[max(0, match.start() - 60) : match.start()]
    # A line break ends a clause only where lines are not wrapped (a Gutenberg text's are).
    clause = re.split(r"[.!?;:]" if doc.hard_wrapped else r"[.!?;:\n]", before)[-1]
    return bool(re.search(rf"\b(?:{comparatives}|rather|sooner|other|else)\b", clause, re.I))


def _its_not_kind(doc: Document, match: re.Match) -> bool:
    return not doc.normalized.startswith("-", match.end())


@functools.cache
def patterns() -> tuple[Pattern, ...]:
    comparatives = words_alternation(lexicon.comparatives())
    return (
        # --- then / than -----------------------------------------------------------------------
        pattern(
            "then-than", "then", C, E,
            rf"\b(?:{comparatives})\s+(?P<x>then)\b(?!\s*,)",
            "than",
            "In a comparison, write “than”; “then” is about time.",
            check=lambda doc, m: _right_ratio(doc, m, "then", "than") >= 0.5,
        ),
        pattern(
            "then-than", "then", C, S,
            r"\b(?:more|less|rather)\s+[a-z]+\s+(?P<x>then)\b(?!\s*,)",
            "than",
            "In a comparison, write “than”; “then” is about time.",
            check=lambda doc, m: _right_ratio(doc, m, "then", "than") >= 2,
        ),
        pattern(
            "than-then", "than", C, E,
            r"\b(?:and|since|by|until|till|back|just|right|even|only|now|but)\s+(?P<x>than)\b",
            "then",
            "For “next” or “at that time”, write “then”; “than” compares.",
            check=lambda doc, m: not re.search(
                rf"\b(?:{comparatives})\s+(?:and|but)\s+than$", doc.normalized[: m.end()]
            )
            and not _comparison_before(doc, m, comparatives),
        ),
        pattern(
            "than-then", "than", C, E,
            r"(?:^|(?<=[.!?]\s)|(?<=\n)|(?<=\"))(?P<x>Than)\b",
            "Then",
            "For “next” or “at that time”, write “then”; “than” compares.",
            check=lambda doc, m: m.group("x")[0] == "T",
        ),
        # --- its / it's --------------------------------------------------------------------------
        pattern(
            "its-it's", "its", C, E,
            r"\b(?P<x>its)\s+(?=(?:a|an|the|not|been|going|gonna|just|so|too|okay|ok|about|getting|always|never|my|your|our|his|their|because|what|who|how|when|where|me|you|him|us|them|nothing|something|almost|here|there|no|got|gotten|raining|snowing|all\s+(?:right|over|my|your|his|her|our|their|good|fine|because)|time\s+to)\b)",
            "it's",
            "“its” owns something; for “it is” or “it has”, write “it’s”.",
            check=lambda doc, m: _its_not_kind(doc, m) and _not_after_preposition(doc, m),
        ),
        pattern(
            "its-it's", "its", C, E,
            rf"\b(?P<x>its)\s+(?:fine|true|okay|ok|over|late|cold|hot|weird|funny|done|mine|yours|nothing|alright|time|possible|impossible|important|obvious|broken|gone|here|there|me|you|him|her|us|them|open|closed|locked|empty|dark|quiet|raining|useless|hopeless|ready|real|fake|safe|bad|good|great|perfect|enough|fun|complicated|nice|different|easy|hard|simple){_END}",
            "it's",
            "“its” owns something; for “it is” or “it has”, write “it’s”.",
            check=_not_after_preposition,
        ),
        pattern(
            "its-it's", "its", C, E,
            r"(?:^|(?<=[.!?]\s)|(?<=[\"\n]))(?P<x>Its)\s+[a-z]+(?=[.!?])",
            "It's",
            "“its” owns something; for “it is” or “it has”, write “it’s”.",
            check=lambda doc, m: m.group("x") == "Its",
        ),
        pattern(
            "lets-let's", "lets", C, E,
            r"(?:^|(?<=[.!?,]\s)|(?<=[\"\n]))(?P<x>lets)\s+(?=(?:go|get|see|do|just|not|be|talk|try|make|hope|find|take|move|eat|start|leave|say|have|all|never|play|stop|focus|keep|call|hear|head|face|agree)\b)",
            "let's",
            "For a suggestion (“let us”), write “let’s”.",
        ),
        pattern(
            "there-their", "there", C, E,
            r"\b(?P<x>there)\s+(?=(?:own|necks|neck|heads|head|eyes|hands|faces|face|car|cars|house|houses|home|homes|parents|mother|mothers|father|fathers|mom|dad|kids|children|child|son|daughter|friends|friend|lives|bags|things|stuff|room|rooms|jobs|job|names|minds|mind|hearts|backs|feet|arms|legs|mouths|lips|voices|clothes|phones|weapons|guns|badges|team|way\s+(?:home|back|out|in|through|to))\b)",
            "their",
            "“their” owns something; “there” is a place.",
        ),
        pattern(
            "it's-its", "it's", C, E,
            r"\b(?P<x>it's)\s+(?=own\b)",
            "its",
            "“it’s” means “it is”; the possessive is “its”.",
        ),
        # --- your / you're, their / they're / there ---------------------------------------------
        pattern(
            "your-you're", "your", C, E,
            r"\b(?P<x>your)\s+(?=(?:a|an|the|not|going|gonna|so(?![-\s]+called)|too|such|always|never|really|welcome|kidding|joking|getting|trying|gonna|being\s+(?:ridiculous|silly|stupid|serious|an?|so|too)|sure\s+(?:that|about|of)|right\s+(?:about|that)|wrong\s+(?:about|that))\b)",
            "you're",
            "For “you are”, write “you’re”; “your” owns something.",
            check=_not_after_preposition,
        ),
        pattern(
            "your-you're", "your", C, E,
            rf"\b(?P<x>your)\s+(?:right|wrong|late|early|fine|okay|ok|safe|crazy|insane|beautiful|welcome|sure|sorry|done|drunk|fired|dead|mine|here|there|home|back|it|next|up|out|lying|kidding|joking|serious|impossible|amazing|an\s+idiot|such\s+an?\s+\w+){_END}",
            "you're",
            "For “you are”, write “you’re”; “your” owns something.",
            check=_not_after_preposition,
        ),
        pattern(
            "their-they're", "their", C, E,
            r"\b(?P<x>their)\s+(?=(?:a|an|the|not|going|gonna|so(?![-\s]+called)|too|such|always|never|really|here|coming|leaving|getting|trying|probably|gonna|both\s+(?:going|here|dead|gone|fine))\b)",
            "they're",
            "For “they are”, write “they’re”; “their” owns something.",
            check=_not_after_preposition,
        ),
        pattern(
            "their-there", "their", C, E,
            r"\b(?P<x>their)\s+(?=(?:is|are|was|were|isn't|aren't|wasn't|weren't|will\s+be|has\s+been|had\s+been|must\s+be|might\s+be|used\s+to\s+be)\b)",
            "there",
            "For a place or “there is”, write “there”; “their” owns something.",
        ),
        pattern(
            "their-there", "their", C, E,
            rf"\b(?:over|out|in|from|up|down|right|back|go|went|get|got|stay|stayed|stood|sat|been|here\s+and|hi|hello|hey|still|is|was|and)\s+(?P<x>their){_END}",
            "there",
            "For a place or “there is”, write “there”; “their” owns something.",
        ),
        # --- lose / loose ------------------------------------------------------------------------
        pattern(
            "loose-lose", "loose", C, E,
            rf"\b(?:{_MODAL}|not\s+to|never\s+to)\s+(?P<x>loose)\b",
            "lose",
            "To misplace or be beaten is to “lose”; “loose” means not tight.",
        ),
        pattern(
            "loose-lose", "loose", C, E,
            r"\b(?:I|you|we|they)\s+(?P<x>loose)\s+(?=(?:track|sight|control|my|your|our|their|it|them|him|her|me|us|everything|anything|this|the)\b)",
            "lose",
            "To misplace or be beaten is to “lose”; “loose” means not tight.",
        ),
        pattern(
            "lose-loose", "lose", C, E,
            r"\b(?:a|the|too|so|very|more|was|were|is|are|be|been|being|come|came|comes|coming|cut|let|break|broke|breaking|broken|hang|hung|set|turn|turned|shook|shake|pull|pulled|work|worked|tore|torn|wriggle|wriggled|wiggled|hung|fell)\s+(?P<x>lose)\b(?!\s+(?:to|the|a|an|his|her|my|your|their|our|it|them|him|me|us|control|track|sight|weight|everything)\b)",
            "loose",
            "“loose” means not tight or free; “lose” is to misplace or be beaten.",
        ),
        # --- affect / effect ------------------------------------------------------------------
        pattern(
            "effect-affect", "effect", C, E,
            rf"\b(?:{_MODAL}|not|doesn't|didn't)\s+(?P<x>effect)\s+(?=(?:me|him|her|them|us|you|my|his|your|their|our|it|anyone|everyone|anybody|everybody)\b)",
            "affect",
            "The verb is usually “affect” (to change); “effect” is the result.",
        ),
        pattern(
            "affect-effect", "affect affects", C, E,
            r"\b(?:an|no|any|side|desired|opposite|domino|ripple|butterfly|placebo|lasting|immediate|calming|sobering)\s+(?P<x>affects?)\b",
            lambda m: ("effect" + m.group("x")[6:],),
            "The result is an “effect”; “affect” is the verb.",
        ),
        # --- of / off --------------------------------------------------------------------------
        pattern(
            "of-off", "of", C, E,
            rf"\b(?:get|got|gets|getting|took|takes|taking|turned|jumped|kicked|shook|pulled|pushed|hopped|climbed|stepped|brushed|wiped|slipped|headed|pissed|ticked|dozed|drifted|stormed|backed|fell)\s+(?P<x>of)\s+(?=(?:{_DET})\b)",
            "off",
            "Away from something is “off”; “of” belongs to something.",
        ),
        pattern(
            "off-of", "off", C, E,
            rf"\b(?:out|kind|sort|because|instead|lots|plenty|couple|bunch|rest|full|none|front)\s+(?P<x>off)\s+(?=(?:{_DET}|you|these|those)\b)",
            "of",
            "“{text}” should be “of” here; “off” means away from.",
        ),
        # --- too / to, where / were, whose / who's, weather / whether -----------------------------
        pattern(
            "too-to", "too", C, E,
            r"\b(?P<x>too)\s+(?=(?:the|an|my|his|your|their|our|be|go|see|get|make|do|say|take|come|find|keep|tell)\b)",
            "to",
            "“too” means “also” or “excessively”; here it should be “to”.",
        ),
        pattern(
            "were-where", "were", C, E,
            r"\b(?:know|knew|wonder|wondered|idea|clue|knowing|remember|remembered|forgot)\s+(?P<x>were)\s+(?=(?:I|you|he|she|it|we|they)\b)",
            "where",
            "For a place, write “where”; “were” is a form of “be”.",
        ),
        pattern(
            "whose-who's", "whose", C, E,
            r"\b(?P<x>whose)\s+(?=(?:there|going|coming|been|gonna|doing|getting|here|not|the|a|your|my)\b)",
            "who's",
            "For “who is” or “who has”, write “who’s”; “whose” owns something.",
        ),
        pattern(
            "who's-whose", "who's", C, E,
            r"\b(?P<x>who's)\s+(?=(?:fault|turn|idea|side|car|phone|house|job|name|blood|voice|room|kid|kids|child|children|baby|mother|father|dad|mom|wife|husband|place|money|gun|bag|book|shirt|jacket|coat|bed|team|life|eyes|hands|face|body|responsibility|problem|call|choice|decision|business|son|daughter|brother|sister)\b)",
            "whose",
            "For ownership, write “whose”; “who’s” means “who is”.",
        ),
        pattern(
            "weather-whether", "weather", C, E,
            r"\b(?P<x>weather)\s+(?=or\s+not\b)",
            "whether",
            "For “if”, write “whether”; “weather” is rain and sun.",
        ),
        pattern(
            "weather-whether", "weather", C, E,
            r"\b(?:know|knew|wonder|wondered|wondering|decide|decided|ask|asked|unsure|sure|question|matter|care|cared|see|tell|determine|doubt|debate|debated|undecided|uncertain|regardless\s+of)\s+(?P<x>weather)\s+(?=(?:or|to|he|she|they|I|we|you|it|the|there|this|that|his|her)\b)",
            "whether",
            "For “if”, write “whether”; “weather” is rain and sun.",
        ),
        # --- past / passed, accept / except -------------------------------------------------------
        pattern(
            "passed-past", "passed", C, E,
            rf"\b(?:walked|walking|walk|ran|running|run|drove|driving|drive|went|going|go|hurried|rushed|stormed|brushed|slipped|moved|raced|sped|flew|stumbled|strode|marched|pushed|glanced|stared|looked|looking|zoomed|swept|wandered|limped|sprinted|jogged|crawled|rode|get|got|getting|well|way|long|just|half|quarter)\s+(?P<x>passed)\s+(?=(?:{_DET}|each|midnight|noon|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b)",
            "past",
            "Going by something is going “past” it; “passed” is the verb.",
        ),
        pattern(
            "passed-past", "passed", C, E,
            r"\b(?:in\s+the|the|his|her|my|their|our|your)\s+(?P<x>passed)\b(?=\s*[.,;!?]|\s+(?:few|couple|week|weeks|month|months|year|years|day|days|hour|hours|decade|life|lives)\b)",
            "past",
            "Time gone by is the “past”; “passed” is the verb.",
        ),
        pattern(
            "past-passed", "past", C, E,
            r"\b(?:had|has|have|'d|'ve|he|she|they|I|we|you|who|it|mother|father|mom|dad|grandmother|grandfather)\s+(?P<x>past)\s+(?=(?:away|out)\b)",
            "passed",
            "The verb is “passed”; “past” is time gone by or going by.",
        ),
        pattern(
            "except-accept", "except", C, E,
            r"\b(?:I|we|they|you|he|she|to|will|would|can|could|should|must|don't|didn't|won't|please|just|finally)\s+(?P<x>except)\s+(?=(?:the|your|my|his|her|their|our|this|that|it|him|me|them|us|an|a)\b)",
            "accept",
            "To take or agree to something is to “accept” it; “except” means “but”.",
        ),
        pattern(
            "accept-except", "accept", C, E,
            r"\b(?:everyone|everybody|everything|anyone|anything|nobody|nothing|no\s+one|all|none|nowhere|anywhere|everywhere|someone|something)\s+(?P<x>accept)\b",
            "except",
            "For “but” or “apart from”, write “except”; “accept” is to take or agree.",
        ),
        # --- real-word typos with a telling neighbour -----------------------------------------
        pattern(
            "form-from", "form", T, E,
            rf"\b(?:away|apart|far|across|came|come|comes|coming|back|escaped|fled|heard|letter|call|message|text|note|gift|anyone|someone|everyone|nothing|something|anything|straight|directly|fresh|home|out|up|down|torn|taken|stolen|ripped|pulled|hung|fell|rose|emerged|returned|ran|walked|drove|flew|dripped|fallen|made|built|borrowed|saved|rescued|released|apart|aside|judging)\s+(?P<x>form)\s+(?=(?:{_DET})\b)|\b(?P<y>form)\s+(?=(?:somewhere|nowhere|anywhere|everywhere|home|work|school|behind|inside|outside|within|afar|underneath|beneath|above|below)\b)",
            "from",
            "“form” should probably be “from” here.",
        ),
        pattern(
            "from-form", "from", T, E,
            r"\b(?:a|the|its)\s+(?P<x>from)\b",
            "form",
            "“from” should probably be “form” here.",
        ),
        pattern(
            "causal-casual", "causal", T, E,
            r"\b(?P<x>causal)\b(?!\s+(?:link|links|relationship|relationships|chain|chains|factor|factors|connection|connections|effect|effects|role|mechanism|mechanisms|loop|loops|inference|analysis|model|models|explanation|explanations|nexus|agent|agents|relation|relations|pathway|pathways|claim|claims|structure|theory|story|order|power)\b)",
            "casual",
            "“causal” means “causing”; relaxed or informal is “casual”.",
        ),
        pattern(
            "quite-quiet", "quite", T, E,
            r"\b(?:was|were|is|are|be|been|being|went|go|goes|going|gone|fell|grew|stayed|kept|keep|stay|remained|very|so|too|perfectly|completely|deathly|eerily|strangely|oddly|unusually|suddenly|silent\s+and|calm\s+and|peaceful\s+and|'s|'re)\s+(?P<x>quite)\b(?=\s*[.,!?;:\"]|\s+(?:for|and|now|again|when|while|until|tonight|today|except)\b)",
            "quiet",
            "“quite” means “rather” or “completely”; silent is “quiet”.",
            check=_not_negated,
        ),
        pattern(
            "quite-quiet", "quite", T, E,
            r"\b(?:very|so|too|perfectly|deathly|eerily|strangely|oddly|unusually)\s+(?P<x>quite)\b(?!\s+(?:a|an|the|possibly|likely|sure|right|well|often|frankly|literally|honestly|clearly|simply)\b)",
            "quiet",
            "“quite” means “rather” or “completely”; silent is “quiet”.",
        ),
        pattern(
            "quiet-quite", "quiet", T, E,
            r"\b(?P<x>quiet)\s+(?=(?:sure|right|possibly|likely|certain|often|frankly|literally|honestly|clearly|simply|obviously|similar|different|a\s+few|a\s+bit|the\s+opposite)\b)",
            "quite",
            "“quiet” means silent; for “rather” or “completely”, write “quite”.",
        ),
        pattern(
            "breath-breathe", "breath", T, E,
            r"\b(?:to|couldn't|could|can't|can|cannot|will|would|should|must|might|don't|didn't|doesn't|won't|wouldn't|shouldn't|just|tried\s+to|trying\s+to|remember\s+to|forgot\s+to|need\s+to|needed\s+to)\s+(?P<x>breath)\b(?!\s+(?:of|mint|mints|test|away)\b)",
            "breathe",
            "The verb is “breathe”; “breath” is the noun.",
        ),
        pattern(
            "breathe-breath", "breathe", T, E,
            r"\b(?:a|the|deep|her|his|my|your|their|our|one|each|every|shaky|shuddering|long|sharp|ragged|last|first|another|fresh|hot|warm|cold|held|heavy|quick|slow|steadying|calming|short|soft|bated|labored|laboured)\s+(?P<x>breathe)\b",
            "breath",
            "The noun is “breath”; “breathe” is the verb.",
        ),
        # "tired" where only a verb of trying fits: before "to" and a verb, or after "have"
        # with nothing after it ("she tired to open it", "I have tired."). Not the pair list:
        # "the harder she tired the less" is the context layer's to find.
        pattern(
            "tired-tried", "tired", T, E,
            rf"\b(?:{_PRONOUNS}|had|have|has|'ve|'d|never|just|really|desperately|always)\s+(?P<x>tired)\s+(?=(?:to\s+(?!death\b|the\b)[a-z]+|not\s+to|so\s+hard|her\s+best|his\s+best|their\s+best|my\s+best|everything)\b)",
            "tried",
            "“tired” means weary; the past of “try” is “tried”.",
        ),
        pattern(
            "tired-tried", "tired", T, E,
            r"\b(?:have|has|had|'ve|'d)\s+(?P<x>tired)\b(?=\s*[.,!?;]|\s+(?:to\s+(?!death\b|the\b)[a-z]+|so\s+hard|everything|again)\b)",
            "tried",
            "“tired” means weary; the past of “try” is “tried”.",
        ),
        pattern(
            "dinning-dining", "dinning", T, E,
            r"\b(?P<x>dinning)\s+(?=(?:room|rooms|table|tables|hall|area|chair|chairs|car|experience)\b)",
            "dining",
            "Eating is “dining”; “dinning” is making a din.",
        ),
        pattern(
            "lightening-lightning", "lightening", T, E,
            r"(?:\b(?P<x>lightening)\s+(?=(?:bolt|bolts|strike|strikes|storm|storms|flash|flashes|struck|fast|quick|rod|crashed|flashed|cracked|split|lit)\b))|(?:\b(?:of|and|like|with)\s+(?P<y>lightening)\b(?!\s+(?:the|her|his|my|their|our|up|of)\b))",
            "lightning",
            "The flash in a storm is “lightning”; “lightening” is making lighter.",
        ),
        pattern(
            "cloths-clothes", "cloths", T, S,
            r"\b(?:change|changed|changing|wear|wore|wearing|worn|civilian|street|work|school|fancy|nice|casual|baggy|tight|spare|borrowed|his|her|my|your|their|our)\s+(?P<x>cloths)\b",
            "clothes",
            "Things you wear are “clothes”; “cloths” are pieces of fabric.",
        ),
        pattern(
            "though-through", "though", T, E,
            rf"\b(?:walk|walked|walking|went|go|going|ran|run|running|pushed|push|broke|break|came|come|coming|slipped|looked|looking|stared|read|reading|halfway|all|right|straight|passed|pass|fell|sifted|flipped|scrolled|waded|burst|crashed|made|get|got|getting|lived|living|been|stormed|marched|dug|rummaged)\s+(?P<x>though)\s+(?=(?:{_DET}|every|each|all)\b)",
            "through",
            "Into one side and out the other is “through”.",
        ),
        pattern(
            "thought-though", "thought", T, E,
            r"\b(?:even|as)\s+(?P<x>thought)\s+(?=(?:I|you|he|she|it|we|they|the|his|her|there|this|that)\b)",
            "though",
            "The conjunction is “though” (“even though”, “as though”).",
        ),
        pattern(
            "though-thought", "though", T, E,
            r"\b(?:I|he|she|we|they|you|who|had|have|'d|never|always|first)\s+(?P<x>though)\s+(?=(?:that|about|of|so|he|she|I|they|we|you|it|this)\b)",
            "thought",
            "The past of “think” is “thought”.",
        ),
        pattern(
            "wonder-wander", "wonder wonders wondered wondering", T, E,
            r"\b(?P<x>wonder(?:s|ed|ing)?)\s+(?=(?:off|around|aimlessly|away)\b)",
            lambda m: ("wander" + m.group("x")[6:],),
            "To roam is to “wander”; to “wonder” is to ask yourself.",
        ),
        pattern(
            "wander-wonder", "wander wanders wandered wandering", T, E,
            r"\b(?P<x>wander(?:s|ed|ing)?)\s+(?=(?:if|whether|why|what|how|who|when)\b)",
            lambda m: ("wonder" + m.group("x")[6:],),
            "To ask yourself is to “wonder”; to “wander” is to roam.",
        ),
        pattern(
            "angel-angle", "angel angels", T, E,
            r"\b(?:odd|awkward|sharp|steep|camera|acute|obtuse|right|wide|low|high)\s+(?P<x>angels?)\b",
            lambda m: ("angle" + m.group("x")[5:],),
            "A slant is an “angle”; an “angel” has wings.",
        ),
        pattern(
            "sever-severe", "sever", T, E,
            r"\b(?:a|very|so|too|more|most|less|quite|really)\s+(?P<x>sever)\b|\b(?P<y>sever)\s+(?=(?:pain|headache|weather|storm|injury|injuries|damage|burns|trauma|punishment|consequences|wound|wounds|allergic|depression|anxiety|concussion|bleeding|blood)\b)",
            "severe",
            "Serious or harsh is “severe”; to “sever” is to cut off.",
        ),
        pattern(
            "trail-trial", "trail", T, E,
            r"\b(?:murder|criminal|jury|fair|stand|stood|standing|speedy|civil|upcoming|rape|mis)\s+(?P<x>trail)\b|\b(?P<y>trail)\s+(?=(?:date|judge|lawyer|attorney|prep|transcript|court|by\s+(?:jury|fire|combat))\b)",
            "trial",
            "A court case is a “trial”; a “trail” is a path.",
        ),
        pattern(
            "peak-peek", "peak", C, E,
            r"\b(?:sneak|quick|little|a\s+quick)\s+(?P<x>peak)\b",
            "peek",
            "A quick look is a “peek”; a “peak” is a summit.",
        ),
        pattern(
            "peak-pique", "peak peaked peaks", C, E,
            r"\b(?P<x>peak(?:ed|s)?)\s+(?=(?:his|her|my|your|their|our)\s+(?:interest|curiosity)\b)",
            lambda m: ("pique" + m.group("x")[4:].replace("ed", "d"),),
            "To stir someone’s interest is to “pique” it.",
        ),
        pattern(
            "break-brake", "break breaks", C, E,
            r"\b(?:slammed|slamming|slam|hit|hitting|pumped|pumping|tapped|tapping|stepped\s+on|stomped\s+on|jammed\s+on|emergency|parking)\s+(?:on\s+)?(?:the\s+)?(?P<x>breaks?)\b",
            lambda m: ("brake" + m.group("x")[5:],),
            "What stops a car is a “brake”.",
            check=lambda doc, m: not re.match(r"\s+(?:of|in|from)\b", doc.normalized[m.end() :]),
        ),
    )  # fmt: skip


def _right_ratio(doc: Document, match: re.Match, word: str, other: str) -> float:
    """How much likelier `other` than `word` is before the next word (1.0 when unknown)."""
    following = _NEXT_WORD.match(doc.normalized, match.end("x"))
    if not following:
        return 1.0
    counts = lexicon.bigram_counts()
    nxt = following.group(1).lower()
    return (counts.get((other, nxt), 0) + _UNSEEN) / (counts.get((word, nxt), 0) + _UNSEEN)


def bigram_findings(doc: Document) -> list[Finding]:
    """Pair words whose partner the neighbouring words make far more likely. Both
    neighbours must favour the partner (or be unknown), so one strong side alone, such as
    "off the" against "of the", never decides."""
    confusions = lexicon.confusions()
    counts = lexicon.bigram_counts()
    unigrams = lexicon.word_counts()
    findings = []
    occurrences = sorted(
        (item for pair_word in confusions for item in doc.words_by_lower.get(pair_word, ())),
        key=lambda item: item[1],
    )
    for word, index in occurrences:
        lower = word.lower
        before, after = doc.neighbours(index)
        if before is None and after is None:
            continue
        for confusion in confusions[lower]:
            other = confusion.other
            left = right = 1.0
            seen = False
            if before is not None:
                mine, theirs = counts.get((before, lower), 0), counts.get((before, other), 0)
                left = (theirs + _UNSEEN) / (mine + _UNSEEN)
                seen = seen or theirs > 0
            if after is not None:
                mine, theirs = counts.get((lower, after), 0), counts.get((other, after), 0)
                right = (theirs + _UNSEEN) / (mine + _UNSEEN)
                seen = seen or theirs > 0
            prior = (unigrams.get(lower, 0) + 1) / (unigrams.get(other, 0) + 1)
            if seen and left >= 1 and right >= 1 and left * right * prior >= BIGRAM_RATIO:
                category = Category(confusion.category)
                findings.append(
                    doc.finding(
                        word.start,
                        word.end,
                        severity=Severity.SUGGESTION,
                        category=category,
                        rule="fiction:bigram-pair",
                        message=f"“{word.text}” may be a slip for “{other}” here.",
                        suggestions=(match_case(word.text, other),),
                    )
                )
                break
    return findings


def place_slips(doc: Document) -> list[Finding]:
    """A real word where a verb of looking or moving wants a place word: "took a look bellow"
    (below), "walked threw the door", "ran thorough the hall" (through). "Bellow" is a noun
    after a determiner and a verb after a subject or "to", so neither is in that place."""
    findings = []
    words = doc.words
    moving = frozenset(_MOVING)
    hits = (hit for slip in _PLACE_SLIPS for hit in doc.words_by_lower.get(slip, ()))
    for word, index in sorted(hits, key=lambda hit: hit[1]):
        if index == 0 or not doc.joined(index - 1, index) or not word.text.islower():
            continue
        before = words[index - 1].lower
        after = words[index + 1].lower if index + 1 < len(words) else None
        if after is not None and not doc.joined(index, index + 1):
            after = None  # punctuation follows
        right = _PLACE_SLIPS[word.lower]
        if right == "below":
            if before not in moving:
                above_and = before == "and" and index > 1 and words[index - 2].lower == "above"
                if before not in _BEFORE_BELOW and not above_and:
                    continue
                if index > 1 and words[index - 2].lower in _PLACE_OBJECTS:
                    continue  # "a deep bellow": "deep" is its adjective
                if after in ("of", "at", "for", "with", "in", "out"):
                    continue  # "and bellow at them", "from bellow of rage"
        elif before not in moving or not _MOVED.search(before) or after not in _PLACE_OBJECTS:
            continue  # "threw", "thorough" only after a verb, before what is gone through
        findings.append(
            doc.finding(
                word.start,
                word.end,
                severity=E,
                category=T,
                rule="fiction:place-slip",
                message=f"After “{words[index - 1].text}”, the place word is “{right}”.",
                suggestions=(match_case(word.text, right),),
            )
        )
    return findings


_PLACE_OBJECTS = frozenset(
    "the a an his her my your their our its this that these those it them him me us".split()
)


def find(doc: Document) -> list[Finding]:
    return run_patterns(doc, patterns()) + bigram_findings(doc) + place_slips(doc)
