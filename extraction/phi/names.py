"""People's names: patients, relatives, clinicians.

Names are found three ways, strongest first:

1. a cue says a name follows or precedes: a title ("Dr.", "Mrs."), a label ("Patient:",
   "Emergency contact:"), a relation ("his wife", "her sister,"), a role ("research
   coordinator", "Officer"), a verb ("accompanied by"), a credential after it ("Jane Doe, MD"),
   a signature line; any capitalized word that is not ordinary vocabulary is then taken, so
   invented or rare surnames are caught, and lower-case dictation works the same way;
2. the name lexicon (US Census and Faker lists, see ``lexicon.py``): a capitalized word that is
   a known name and no ordinary, clinical or eponymous word, or a known first name followed by
   a surname;
3. every later mention of a word of a name found above ("Mrs. Vantongeren" ... "Vantongeren").

Mentions are grouped into people so one person gets one ``[NAME_n]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extraction.phi.lexicon import Lexicon, fold, lexicon
from extraction.phi.redaction import Candidate

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")

_TITLES = (
    "dr drs mr mrs ms miss mx prof professor doctor officer ofc sgt sergeant det detective rev "
    "reverend pastor chaplain judge attorney atty nurse captain capt lt lieutenant coach rabbi "
    "imam deputy trooper agent"
).split()
_RELATIONS = (
    "wife husband spouse partner fiance fiancee fiancé fiancée boyfriend girlfriend mother mom "
    "father dad parent parents son daughter stepson stepdaughter child sister brother sibling "
    "grandson granddaughter grandchild grandmother grandfather grandma grandpa aunt uncle niece "
    "nephew cousin friend neighbor neighbour roommate caregiver guardian sister-in-law "
    "brother-in-law son-in-law daughter-in-law mother-in-law father-in-law stepmother "
    "stepfather godmother godfather widow widower ex-wife ex-husband"
).split()
_ROLES = (
    "patient pt name client member participant resident infant baby subscriber insured "
    "guarantor policyholder beneficiary attending surgeon physician provider pcp clinician "
    "doctor nurse rn np pa lpn cna therapist counselor psychologist psychiatrist worker manager "
    "coordinator navigator referring referral ordering prescriber pharmacist rph technician tech "
    "scribe chaperone interpreter translator witness author signer chaplain officer driver "
    "employer supervisor teacher landlord sponsor investigator consultant dietitian midwife "
    "doula cnm anesthesiologist anesthetist crna assistant fellow intern student dentist "
    "optometrist podiatrist chiropractor paramedic emt contact kin agent proxy poa hcp "
    "representative surrogate decision-maker cosigner owner re attn to from cc by"
).split()
# Roles strong enough to stand without a colon before a name ("research coordinator Ann Lee").
_ROLES_WITHOUT_COLON = frozenset(_ROLES) - {
    "name", "re", "attn", "to", "from", "cc", "by", "contact", "member", "resident", "student",
    "patient", "pt", "baby", "provider", "owner", "kin", "author", "signer", "agent",
}  # fmt: skip
_SKIPPABLE_AFTER_CUE = frozenset(
    ["his", "her", "their", "the", "pt's", "patient's", "baby", "girl", "boy", "is", "named"]
    + _RELATIONS
    + _TITLES
)
_VERB_CUES = re.compile(
    r"(?i)\b(?:seen\s+with|accompanied\s+by|signed\s+by|reviewed\s+by|discussed\s+with|"
    r"spoke\s+(?:with|to)|d/w|brought\s+in\s+by|dictated\s+by|transcribed\s+by|examined\s+by|"
    r"evaluated\s+by|performed\s+by|seen\s+by|attended\s+by|cared\s+for\s+by|counseled\s+by|"
    r"counseling\s+by|written\s+by|prescribed\s+by|referred\s+by|consented\s+by|"
    r"interpreted\s+by|verified\s+by|co-?signed\s+by|named|care\s+of|c/o\s+(?=[A-Z]))\s+"
)
_SIGN_OFF = re.compile(
    r"(?im)^[ \t]*(?:sincerely|regards|respectfully|best\s+regards|kind\s+regards|cordially|"
    r"thank\s+you|thanks|signed|electronically\s+signed(?:\s+by)?)[ \t]*[,:.]?[ \t]*\n[ \t]*"
    r"|^[ \t]*(?:—|–|--|-|~)[ \t]*(?=[A-Z])"
)
_LABEL = re.compile(r"(?P<role>[^\W\d_]+(?:['’\-][^\W\d_]+)*)\)?[ \t]*:[ \t]*")
_CREDENTIALS_PLAIN = (
    "MD|M\\.D\\.|NP|PA-C|RN|LPN|LVN|CNA|LCSW|LMSW|LICSW|MSW|CNM|CRNA|APRN|FNP|FNP-BC|FNP-C|"
    "AGNP|ANP|ACNP|DNP|PhD|PsyD|EdD|DDS|DMD|DPM|DPT|OTR|OTR/L|SLP|CCC-SLP|RPh|PharmD|RDN|CDE|"
    "CDCES|LPC|LMFT|LMHC|LCPC|BCBA|MBBS|MBChB|FACP|FACS|FAAP|FACC|MPH|EMT-P|RRT|CMA|PMHNP|ARNP"
)
_CREDENTIALS_AFTER_COMMA = "DO|D\\.O\\.|PA|MS|MA|PT|OT|RT|DC|OD|LD|RD|CNS|EMT|BSN|MSN"
_CREDENTIAL = re.compile(
    rf"(?:[ \t]*,[ \t]*(?:{_CREDENTIALS_PLAIN}|{_CREDENTIALS_AFTER_COMMA})"
    rf"|[ \t]+(?:{_CREDENTIALS_PLAIN}))(?![\w-])"
)
_EPONYM_NOUN = re.compile(
    r"(?i)(?:['’]s?)?[ \t]+(?:disease|syndrome|palsy|signs?|test|tests|score|scores|scale|"
    r"maneuver|manoeuvre|reflex|criteria|classification|fracture|cyst|nodes?|phenomenon|triad|"
    r"stain|catheter|drain|monitor|procedure|operation|repair|lymphoma|sarcoma|tumou?r|"
    r"esophagus|ulcer|disorder|contracture|neuroma|encephalopathy|ataxia|dystrophy|anomaly|"
    r"deformity|lesion|nodules?|spots|law|equation|formula|method|technique|position|incision|"
    r"forceps|retractor|clamp|needle|tube|line|shunt|valve|bag|mask|bandage|boot|brace|splint|"
    r"view|views|stage|staging|index|rule|rules|curve|protocol|regimen|solution|surgery|"
    r"dementia|chorea|body|bodies|cells?|gangrene|hernia|space|pouch|canal|duct|gland|"
    r"[a-z]+(?:itis|osis|oma|pathy|emia|plasty|ectomy|otomy))\b"
)
_DOSE_AFTER = re.compile(
    r"(?i)[ \t]*(?:\d+(?:\.\d+)?[ \t]*(?:mg|mcg|g|ml|units?|%|tabs?|puffs?)\b|xr\b|er\b|sr\b|"
    r"hfa\b|\(\w+\))"
)
_CAP_SEPARATORS = frozenset((" ", "\t"))
_PARTICLES = frozenset("van von der de del della da di du la le bin al ben st st. mac".split())


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    key: str  # folded, without a possessive ending

    @property
    def is_initial(self) -> bool:
        return len(self.text) == 1 and self.text.isupper()

    @property
    def is_capitalized(self) -> bool:
        return self.text[0].isupper() and not self.text.isupper()

    @property
    def is_upper(self) -> bool:
        return len(self.text) >= 2 and self.text.isupper()

    @property
    def is_lower(self) -> bool:
        return self.text.islower()


def tokenize(note: str) -> list[Token]:
    return [
        Token(m.start(), m.end(), m.group(), _POSSESSIVE.sub("", fold(m.group())))
        for m in _TOKEN.finditer(note)
    ]


class _NameFinder:
    """One note's name search: tokens, the lexicon, and the spans found so far."""

    def __init__(self, note: str) -> None:
        self.note = note
        self.lex: Lexicon = lexicon()
        self.tokens = tokenize(note)
        self.starts = {token.start: index for index, token in enumerate(self.tokens)}
        self.ends = {token.end: index for index, token in enumerate(self.tokens)}
        self.spans: dict[int, int] = {}  # first token index -> end token index (exclusive)

    # -- word tests ---------------------------------------------------------------------------

    def _parts(self, token: Token) -> list[str]:
        return [part for part in re.split(r"[-'’]", token.key) if part]

    def blocked(self, token: Token) -> bool:
        """Never part of a name: a header, place-of-care or function word."""
        return token.key in self.lex.note_words or token.key in self.lex.stopwords

    def known_name(self, token: Token) -> bool:
        return self.lex.is_name(token.key) or any(self.lex.is_name(p) for p in self._parts(token))

    def ordinary(self, token: Token) -> bool:
        """Ordinary vocabulary (every part of a compound is a dictionary word)."""
        parts = self._parts(token) or [token.key]
        return all(part in self.lex.common_words for part in parts)

    def eponym(self, token: Token) -> bool:
        return token.key in self.lex.eponyms or self._eponym_noun_follows(token)

    def _eponym_noun_follows(self, token: Token) -> bool:
        return _EPONYM_NOUN.match(self.note, token.end, min(len(self.note), token.end + 40)) is not None

    def joinable(self, left: Token, right: Token) -> bool:
        """Two tokens of one name: one space apart, or after an initial's period."""
        gap = self.note[left.end : right.start]
        if gap in _CAP_SEPARATORS:
            return True
        return left.is_initial and gap in (". ", ".", ".\t")

    # -- walking a name after a cue -----------------------------------------------------------

    def accept_after_cue(self, token: Token, *, lower: bool, first: bool, strong: bool) -> bool:
        """May ``token`` belong to a name that a cue announced?"""
        if token.is_initial:
            return not lower and not first
        if lower:
            if not token.is_lower or self.blocked(token) or len(token.key) < 2:
                return False
            if first:
                return token.key in self.lex.first_names or (
                    not self.ordinary(token) and (strong or self.known_name(token))
                )
            return not self.ordinary(token) or token.key in self.lex.last_names
        if not (token.is_capitalized or token.is_upper):
            return False
        if token.key in self.lex.note_words:
            return False
        if token.key in self.lex.stopwords and not (strong and self.known_name(token)):
            return False
        if self._eponym_noun_follows(token):
            return False
        return self.known_name(token) or not self.ordinary(token)

    def walk_forward(self, index: int, *, strong: bool) -> int | None:
        """End (exclusive token index) of the name starting at ``index``, or None."""
        tokens = self.tokens
        if index >= len(tokens):
            return None
        lower = tokens[index].is_lower
        if not self.accept_after_cue(tokens[index], lower=lower, first=True, strong=strong):
            return None
        end = index + 1
        while end < len(tokens) and end - index < 5:
            previous, token = tokens[end - 1], tokens[end]
            if not self.joinable(previous, token):
                break
            if token.key in _PARTICLES and end + 1 < len(tokens) and not lower:
                following = tokens[end + 1]
                if self.joinable(token, following) and following.is_capitalized:
                    end += 1
                    continue
            if not self.accept_after_cue(token, lower=lower, first=False, strong=strong):
                break
            end += 1
        while end > index + 1 and tokens[end - 1].is_initial:
            end -= 1
        if tokens[index].is_initial:
            return None
        return end

    def walk_backward(self, end: int) -> int | None:
        """Start token index of the capitalized name that ends just before token ``end``."""
        start = end
        while start > 0 and end - start < 4:
            token = self.tokens[start - 1]
            if start < end and not self.joinable(token, self.tokens[start]):
                break
            if token.is_initial:
                start -= 1
                continue
            if not self.accept_after_cue(token, lower=False, first=False, strong=False):
                break
            start -= 1
        while start < end and self.tokens[start].is_initial:
            start += 1
        return start if start < end else None

    def name_after(self, position: int, *, strong: bool) -> None:
        """Record a name starting at the first token at or after ``position``, skipping
        possessives, relation words and titles ("her daughter", "Baby Girl")."""
        index = self._token_at_or_after(position)
        if index is None:
            return
        for _ in range(3):
            if index >= len(self.tokens):
                return
            token = self.tokens[index]
            if token.key not in _SKIPPABLE_AFTER_CUE or (
                index + 1 < len(self.tokens)
                and self.note[token.end : self.tokens[index + 1].start].strip(" \t,:/()") != ""
            ):
                break
            index += 1
        if index >= len(self.tokens) or self.tokens[index].start - position > 40:
            return
        end = self.walk_forward(index, strong=strong)
        if end is not None:
            self.add(index, end)

    def _token_at_or_after(self, position: int) -> int | None:
        text = self.note
        while position < len(text) and text[position] in " \t,(\"'":
            position += 1
        return self.starts.get(position)

    def add(self, start: int, end: int) -> None:
        if end > start and self.spans.get(start, 0) < end:
            self.spans[start] = end

    # -- the passes ---------------------------------------------------------------------------

    def find_cued(self) -> None:
        note = self.note
        for index, token in enumerate(self.tokens):
            key = token.key
            after = note[token.end : token.end + 2]
            if key in _TITLES and (after[:1] in (".", " ", "\t")):
                position = token.end + (1 if after[:1] == "." else 0)
                if not note[position : position + 1].isspace():
                    continue
                self.name_after(position, strong=True)
            elif key in _RELATIONS and not after[:1] == ":":
                self.name_after(token.end, strong=False)
            elif key in _ROLES_WITHOUT_COLON and after[:1] in (" ", "\t"):
                following = index + 1 < len(self.tokens) and self.tokens[index + 1]
                if following and (following.is_capitalized or key in ("doctor", "patient")):
                    self.name_after(token.end, strong=False)
            elif key in ("patient", "pt") and after[:1] in (" ", "\t"):
                self.name_after(token.end, strong=False)
        for match in _LABEL.finditer(note):
            words = fold(match.group("role")).split("-")
            if words[-1] in _ROLES or words[-1] in _RELATIONS:
                self.name_after(match.end(), strong=True)
        for match in _VERB_CUES.finditer(note):
            self.name_after(match.end(), strong=False)
        for match in _SIGN_OFF.finditer(note):
            self.name_after(match.end(), strong=True)
        for match in _CREDENTIAL.finditer(note):
            end_index = self.ends.get(match.start())
            if end_index is None:
                continue
            start = self.walk_backward(end_index + 1)
            if start is not None:
                self.add(start, end_index + 1)

    def find_by_lexicon(self) -> None:
        """Runs of capitalized words that the name lists recognise."""
        tokens = self.tokens
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if not (token.is_capitalized or token.is_upper) or self.blocked(token):
                index += 1
                continue
            end = index + 1
            while (
                end < len(tokens)
                and end - index < 4
                and self.joinable(tokens[end - 1], tokens[end])
                and (tokens[end].is_capitalized or tokens[end].is_upper or tokens[end].is_initial)
                and not self.blocked(tokens[end])
            ):
                end += 1
            self._judge_run(index, end)
            index = end

    def _judge_run(self, start: int, end: int) -> None:
        run = self.tokens[start:end]
        if all(token.is_upper or token.is_initial for token in run) and len(run) < 2:
            return
        last = run[-1]
        if _DOSE_AFTER.match(self.note, last.end, min(len(self.note), last.end + 12)):
            return
        if self._eponym_noun_follows(last) or all(self.eponym(t) or t.is_initial for t in run):
            return
        lex = self.lex
        upper_run = all(token.is_upper or token.is_initial for token in run)
        strong = [
            t
            for t in run
            if not t.is_initial
            and not upper_run
            and len(t.key) >= 3
            and lex.is_name(t.key)
            and not self.ordinary(t)
            and not self.eponym(t)
        ]
        pair = any(
            left.key in lex.first_names
            and not left.is_initial
            and (right.key in lex.last_names or (not self.ordinary(right) and not upper_run))
            and not (self.ordinary(left) and self.ordinary(right))
            for left, right in zip(run, run[1:], strict=False)
        )
        if not (strong or pair):
            return
        first = next(i for i, t in enumerate(run) if t.is_initial or self.known_name(t) or not self.ordinary(t))
        last_index = max(
            i for i, t in enumerate(run) if not t.is_initial and (self.known_name(t) or not self.ordinary(t))
        )
        if first <= last_index:
            self.add(start + first, start + last_index + 1)

    def spread(self) -> dict[int, int]:
        """Every other mention of a word of a name already found."""
        lex = self.lex
        words: set[str] = set()
        for start, end in self.spans.items():
            for token in self.tokens[start:end]:
                if token.is_initial or len(token.key) < 2:
                    continue
                words.add(token.key)
                for part in self._parts(token):
                    if len(part) >= 3 and part not in lex.common_words and part not in lex.eponyms:
                        words.add(part)
        covered = self._covered()
        extra: dict[int, int] = {}
        for index, token in enumerate(self.tokens):
            if index in covered or token.key not in words or self.blocked(token):
                continue
            if token.is_lower and (self.ordinary(token) or token.key in lex.eponyms):
                continue
            if self._eponym_noun_follows(token):
                continue
            extra[index] = index + 1
        return extra

    def _covered(self) -> set[int]:
        covered: set[int] = set()
        for start, end in self.spans.items():
            covered.update(range(start, end))
        return covered


def _merged(spans: dict[int, int]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans.items()):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def find_name_candidates(note: str) -> Iterator[Candidate]:
    """Name mentions in ``note``, each tagged with the person it belongs to."""
    finder = _NameFinder(note)
    finder.find_cued()
    finder.find_by_lexicon()
    spans = _merged(finder.spans)
    finder.spans = dict(spans)
    spans = _merged({**dict(spans), **finder.spread()})
    people = _People()
    mentions = [[t.key for t in finder.tokens[s:e] if not t.is_initial] for s, e in spans]
    for words in sorted(mentions, key=len, reverse=True):
        people.register(words)
    for (start, end), words in zip(spans, mentions, strict=True):
        first, last = finder.tokens[start], finder.tokens[end - 1]
        yield Candidate("name", first.start, last.end, 30, person=people.person_of(words))


class _People:
    """Groups mentions into people: full names first, then lone words onto the person whose
    name holds them ("Vantongeren" joins "Eleanor M. Vantongeren")."""

    def __init__(self) -> None:
        self.full: dict[tuple[str, ...], str] = {}
        self.by_word: dict[str, str] = {}
        self.count = 0

    def _new(self) -> str:
        self.count += 1
        return f"p{self.count}"

    def register(self, words: list[str]) -> None:
        key = tuple(words)
        if not words or key in self.full:
            return
        if len(words) == 1 and words[0] in self.by_word:
            self.full[key] = self.by_word[words[0]]
            return
        person = self._new()
        self.full[key] = person
        for word in words:
            self.by_word.setdefault(word, person)
            for part in re.split(r"[-'’]", word):
                if len(part) >= 3:
                    self.by_word.setdefault(part, person)

    def person_of(self, words: list[str]) -> str:
        return self.full.get(tuple(words)) or self.by_word.get(words[0] if words else "", "p0")
