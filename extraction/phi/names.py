"""People's names: patients, relatives, clinicians.

Names are found three ways, strongest first:

1. a cue says a name follows or precedes: a title ("Dr.", "Mrs."), a label ("Patient:",
   "Emergency contact:"), a relation ("his wife", "her sister,"), a role ("research
   coordinator", "Officer"), a verb ("accompanied by"), a credential after it ("Jane Doe, MD"),
   a signature line; any capitalized word that is not ordinary vocabulary is then taken, so
   invented or rare surnames are caught, and lower-case dictation works the same way;
2. the name lexicon (US Census, Faker and names-dataset lists, see ``lexicon.py``): a
   capitalized word that is a known name and no ordinary, clinical or eponymous word, or a
   known first name followed by a surname;
3. every later mention of a word of a name found above ("Mrs. Vantongeren" ... "Vantongeren").

Mentions are grouped into people so one person gets one ``[NAME_n]``. The cue words and
shapes themselves are in ``name_cues.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import pairwise
from operator import attrgetter

from extraction.phi.lexicon import (
    NEXT_WORDS,
    SCALE_NOUNS,
    Lexicon,
    lexicon,
)
from extraction.phi.name_cues import (
    ALIAS_VERBS,
    CAP_SEPARATORS,
    CLOSE_QUOTES,
    COMPOUND_JOIN,
    CREDENTIAL,
    CREDENTIAL_SET,
    CREDENTIAL_WORDS,
    CREDENTIALS_PLAIN_SET,
    CUE_OR_VERB_WORDS,
    CUE_WORDS,
    DICTATED_CREDENTIALS,
    DISEASE_NOUNS,
    DOSE_AFTER,
    DOTTED_PARTICLES,
    INITIAL_GAPS,
    MODALS,
    MONTH_WORDS,
    NAMING_WORD_JUST_BEFORE,
    NEXT_IN_LIST,
    NOUN_TITLES,
    OPEN_QUOTES,
    PARTICLES,
    PERSON_VERBS,
    PLACE_NOUNS,
    PLURAL_RELATIONS,
    RELATION_IN_PARENS,
    RELATION_LABEL_BEFORE,
    RELATION_SET,
    REPORTING_VERBS,
    ROLES_WITHOUT_COLON,
    ROMAN_CLASS,
    SCORE_AFTER,
    SKIPPABLE_AFTER_CUE,
    STATE_WORDS,
    SUFFIXES,
    TITLE_SET,
    VERB_CUE_FIRST_WORDS,
    VERB_CUES,
    VOWEL,
    name_cased,
)
from extraction.phi.name_dictation import DictationSearch
from extraction.phi.name_forms import FormSearch
from extraction.phi.redaction import Candidate
from extraction.phi.text import NoteText, Token, boundary_before, starts_sentence

_START = attrgetter("start")
_END = attrgetter("end")


class _NameFinder(DictationSearch, FormSearch):
    """One note's name search: tokens, the lexicon, and the spans found so far. The passes for
    dictation and for forms and records are in ``name_dictation.py`` and ``name_forms.py``."""

    def __init__(self, note: NoteText) -> None:
        self.text = note
        self.note = note.text
        self.lex: Lexicon = lexicon()
        self.lower = note.lower
        self.tokens = note.tokens
        self.capitalized = [i for i, t in enumerate(self.tokens) if t.is_capitalized or t.is_upper]
        self.spans: dict[int, int] = {}  # first token index -> end token index (exclusive)
        # Word tests by key, for this note only (a note repeats its words; nothing outlives it).
        self._known: dict[str, bool] = {}
        self._ordinary: dict[str, bool] = {}
        self._eponym_after = note.eponym_after  # by the end offset of a word, shared

    def _token_starting_at(self, position: int) -> int | None:
        """Index of the token that starts at ``position`` (binary search: no index to build)."""
        index = bisect_left(self.tokens, position, key=_START)
        if index < len(self.tokens) and self.tokens[index].start == position:
            return index
        return None

    def _token_ending_at(self, position: int) -> int | None:
        index = bisect_left(self.tokens, position, key=_END)
        if index < len(self.tokens) and self.tokens[index].end == position:
            return index
        return None

    # -- word tests ---------------------------------------------------------------------------

    def blocked(self, token: Token) -> bool:
        """Never part of a name: a header, place-of-care or function word."""
        return (
            token.key in self.lex.note_words
            or token.key in self.lex.stopwords
            or token.key in TITLE_SET
        )

    def known_name(self, token: Token) -> bool:
        known = self._known.get(token.key)
        if known is None:
            # A compound counts through a part that is a name and no vocabulary: "Washington-
            # Bey" does, "On-Call" (a surname "Call", but a word) does not.
            is_name, is_common = self.lex.is_name, self.lex.is_common
            parts = token.parts
            known = (
                is_name(token.key) or any(is_name(p) and not is_common(p) for p in parts)
            ) and (
                len(parts) == 1 or not all(part in MONTH_WORDS for part in parts)  # "Jan-Apr"
            )
            self._known[token.key] = known
        return known

    def ordinary(self, token: Token) -> bool:
        """Ordinary vocabulary (every part of a compound is a dictionary word)."""
        ordinary = self._ordinary.get(token.key)
        if ordinary is None:
            ordinary = all(self.lex.is_common(part) for part in token.parts)
            self._ordinary[token.key] = ordinary
        return ordinary

    def eponym(self, token: Token) -> bool:
        """A disease, sign or test name: "Graves", "Dix-Hallpike" (every part an eponym)."""
        eponyms = self.lex.eponyms
        if token.key in eponyms or self._eponym_noun_follows(token):
            return True
        parts = token.parts
        return len(parts) > 1 and all(part in eponyms for part in parts)

    def _eponym_noun_follows(self, token: Token) -> bool:
        follows = self._eponym_after.get(token.end)
        if follows is None:
            follows = self.lex.eponym_noun_follows(self.lower, token.end)
            self._eponym_after[token.end] = follows
        return follows

    def joinable(self, left: Token, right: Token) -> bool:
        """Two tokens of one name: one space apart, after an initial's period, or on either
        side of a quoted nickname ('Beatriz "Bea" Alcántara')."""
        gap = self.note[left.end : right.start]
        if gap in CAP_SEPARATORS:
            return True
        if (left.is_initial or left.key in DOTTED_PARTICLES) and gap in INITIAL_GAPS:
            return True
        if len(gap) == 2 and gap[0] in CAP_SEPARATORS and gap[1] in OPEN_QUOTES:
            return self._quoted(right)
        if len(gap) == 2 and gap[0] in CLOSE_QUOTES and gap[1] in CAP_SEPARATORS:
            return self._quoted(left)
        return False

    def _quoted(self, token: Token) -> bool:
        """``token`` stands alone in quotes."""
        note = self.note
        return (
            token.start > 0
            and note[token.start - 1] in OPEN_QUOTES
            and note[token.end : token.end + 1] in CLOSE_QUOTES
        )

    def particles_end(self, index: int) -> int | None:
        """After a run of name particles at ``index`` ("van der", "de la", "dos"), the index of
        the capitalized word they lead to, or None: "van der Meer" is one name."""
        tokens = self.tokens
        end = index
        while end < len(tokens) and end - index < 3 and tokens[end].key in PARTICLES:
            if end > index and not self.joinable(tokens[end - 1], tokens[end]):
                return None
            end += 1
        if end == index or end >= len(tokens) or not self.joinable(tokens[end - 1], tokens[end]):
            return None
        following = tokens[end]
        if not following.is_capitalized or self.blocked(following) or following.key in PARTICLES:
            return None
        return end

    # -- walking a name after a cue -----------------------------------------------------------

    def accept_after_cue(self, token: Token, *, lower: bool, first: bool, cue: str) -> bool:
        """May ``token`` belong to a name that a cue of kind ``cue`` announced?

        Any capitalized word that is not ordinary or clinical vocabulary may, so invented
        surnames are caught. A title or relation right before a word that is also ordinary is
        strong enough ("her sister Hope"); after other cues such a word needs a surname after
        it (``walk_forward``: "Contact: Hope Abernathy", not "Contact: Will call"). Dictated
        lower-case names must start with a known name ("his wife maria"), or any word that is
        not vocabulary right after a title ("mr. okafor-bell")."""
        if token.is_initial:
            return not lower and not first
        if token.key in TITLE_SET or token.key in RELATION_SET or token.text in CREDENTIAL_SET:
            return False
        if lower:
            if not token.is_lower or len(token.key) < 2 or token.key in DICTATED_CREDENTIALS:
                return False  # "... do nascimento md": the credential ends the name
            if self.blocked(token) and not self._dictated_place_surname(token, cue=cue):
                return False
            if first and cue == "alias":
                return True  # "goes by butch"
            if first:
                if self.ordinary(token):  # "his wife grace", "dr. fisher"
                    return token.key in self.lex.census_first_names or (
                        cue == "title" and token.key in self.lex.frequent_last_names
                    )
                # After "dr."/"mrs." any unknown word is a surname, however rare; right after
                # "his wife" or "name" any word that is no vocabulary is a given name.
                return (
                    cue == "title"
                    or self.known_name(token)
                    or self._right_after_naming_word(token)
                    or (cue == "role" and self._may_follow_role(token))  # "her np, tamsin crowe"
                )
            return (
                not self.ordinary(token)
                or token.key in self.lex.frequent_last_names
                or (self.known_name(token) and token.key not in self.lex.stopwords)
            )
        if not (token.is_capitalized or token.is_upper):
            return False
        if token.is_upper and not self._upper_name_word(token, first=first, cue=cue):
            return False
        if self._eponym_noun_follows(token) or self._scored(token):
            return False
        if token.key in self.lex.note_words:
            # "Dr. Park", "Mrs. Hill", "Dr. Hae-won Park": a place word that is a surname may
            # open a name after a title, or end one after a given name.
            if not self.known_name(token):
                return False
            return (cue == "title" and first) or (not first and not self._capital_follows(token))
        if token.key in self.lex.stopwords:
            return self.known_name(token) and (
                cue in ("title", "relation", "alias")
                or (cue == "verb" and not self._capital_follows(token))  # not "Hope Clinic"
                or not first
                or self._after_relation_label(token)
            )
        return (
            self.known_name(token)
            or not self.ordinary(token)
            or self._names_joined(token)
            or (cue == "alias" and first and self._quoted(token))  # 'call her "Tink"'
        )

    def _names_joined(self, token: Token) -> bool:
        """ "Young-Price", "Al-Hakim": a double-barrelled surname of surnames that are also words
        (and particles), each part capitalized; after a cue it is a name ("Faith Young-Price
        RN", not "On-Call")."""
        parts = [part for part in token.parts if part not in PARTICLES]  # "Al-Hakim"
        return (
            len(token.parts) > 1
            and all(part[:1].isupper() for part in COMPOUND_JOIN.split(token.text))
            and all(len(part) >= 3 and part in self.lex.last_names for part in parts)
            and token.key not in self.lex.eponyms
            and not self._eponym_noun_follows(token)
        )

    def _scored(self, token: Token) -> bool:
        """A named score with its value: "Aldrete 10", "Apgar 8", "Forrest IIa" (a clinical
        eponym, then a number or a class; not "Mr. Rosenthal's 2011 Buick")."""
        return (
            token.key in self.lex.eponyms
            and not token.text.endswith("s")
            and SCORE_AFTER.match(self.note, token.end) is not None
        )

    def _right_after_naming_word(self, token: Token) -> bool:
        """ "his partner xiu ying", "patient name oksana dovzhenko": a relation or "name" just
        before, and another word that is no vocabulary just after; lower-case abbreviations
        stand alone or before a word ("her son mri normal", "his wife uti last week")."""
        before = self.lower[max(0, token.start - 24) : token.start]
        if NAMING_WORD_JUST_BEFORE.search(before) is None:
            return False
        index = self._token_starting_at(token.start)
        if index is None or index + 1 >= len(self.tokens):
            return False
        following = self.tokens[index + 1]
        if self._alone_before_a_verb(token, following):
            return True  # "her husband keoni was present"
        return (
            self.joinable(token, following)
            and following.is_lower
            and not self.blocked(following)
            and not self.ordinary(following)
            and all(VOWEL.search(t.key) and len(t.key) >= 2 for t in (token, following))
        )

    def _after_relation_label(self, token: Token) -> bool:
        """Right after "Sibling:" or "Mother -": as strong as "her sister" ("Sibling: Will")."""
        return (
            RELATION_LABEL_BEFORE.search(self.lower, max(0, token.start - 24), token.start)
            is not None
        )

    def _capital_follows(self, token: Token) -> bool:
        """A capitalized word follows ``token`` after one space ("Park Avenue", "Hill Road")."""
        following = self.note[token.end : token.end + 2]
        return len(following) == 2 and following[0] in " \t" and following[1].isupper()

    def _upper_name_word(self, token: Token, *, first: bool, cue: str) -> bool:
        """Capitals are names in headers ("PATIENT: JOHN SMITH"), but mostly abbreviations
        ("patient IP 10.0.0.1", "Referral: PCP"): after a label a known name or a longer
        unknown word; elsewhere only a known name that is no ordinary word."""
        if len(token.key) < 3:
            return False
        if cue == "label":  # "PATIENT: JOHN SMITH"
            return self.known_name(token) or (len(token.key) >= 4 and not self.ordinary(token))
        return self.known_name(token) and not self.ordinary(token)

    def walk_forward(self, index: int, *, cue: str) -> int | None:
        """End (exclusive token index) of the name starting at ``index``, or None."""
        tokens = self.tokens
        if index >= len(tokens):
            return None
        if tokens[index].is_initial:
            # "Dr. J. Smith": an initial may open a name when a name follows it.
            if index + 1 >= len(tokens) or not self.joinable(tokens[index], tokens[index + 1]):
                return None
            following = tokens[index + 1]
            if following.is_upper and len(following.key) >= 5 and not self.ordinary(following):
                return index + 2  # "RN D. BEGAYE", "P. NAKAMURA-SILVA": not "C. DIFF", "S. AUREUS"
            end = self.walk_forward(index + 1, cue=cue)
            return end if end is not None and not following.is_lower else None
        surname = self.particles_end(index)
        if surname is not None and cue != "role":
            # "Mrs. van der Meer", "Dear Dr. de la Cruz": the particles open the surname.
            return self.walk_forward(surname, cue=cue)
        head = tokens[index]
        lower = head.is_lower
        if lower and self._dictated_initial(index):
            end = self.walk_forward(index + 1, cue="title")  # "officer r. delacroix-banks"
            return end if end is not None and end > index + 1 else None
        if not self.accept_after_cue(
            head, lower=lower, first=True, cue=cue
        ) and not self._opens_full_name(index, cue=cue):
            if cue == "label" and not lower and head.key in self.lex.last_names:
                # "Patient: KING, THOMAS": a surname that is also a word, written surname first
                end = self._given_names_after_comma(index + 1)
                return end if end > index + 1 else None
            return None
        end = index + 1
        while end < len(tokens) and end - index < 7:
            previous, token = tokens[end - 1], tokens[end]
            if not self.joinable(previous, token):
                break
            surname = self._dictated_particles_end(end) if lower else self.particles_end(end)
            if surname is not None:
                token = tokens[surname]  # "Pieter van der Linde", "Ferreira dos Santos"
            if lower and self._dictated_initial(end):
                end += 2  # "deshawn t. abernathy-cole"
                continue
            if not self.accept_after_cue(token, lower=lower, first=False, cue=cue):
                break
            end = (surname if surname is not None else end) + 1
        if cue == "label":
            end = self._given_names_after_comma(end)  # "SMITH, JOHN A", "pt: rahman, zayd"
        while end > index + 1 and tokens[end - 1].is_initial:
            end -= 1
        return end

    def _opens_full_name(self, index: int, *, cue: str) -> bool:
        """A capitalized word that would not pass alone may still open a name when a surname
        follows it: a given name that is also a function or place word ("Contact: Hope
        Abernathy", "daughter Mercy Lindqvist"), or, after a label, title or relation, any
        ordinary word before a surname that is no vocabulary ("Worker: Temperance Abiodun")."""
        tokens = self.tokens
        head = tokens[index]
        if not head.is_capitalized or head.key in CUE_WORDS or self._eponym_noun_follows(head):
            return False
        following = index + 1
        if following >= len(tokens) or not self.joinable(head, tokens[following]):
            return False
        following = self.particles_end(following) or following
        surname = tokens[following]
        if (
            not surname.is_capitalized
            or self.blocked(surname)
            or not self.accept_after_cue(surname, lower=False, first=True, cue=cue)
        ):
            return False
        if head.key in self.lex.stopwords or head.key in self.lex.note_words:
            return self.known_name(head)
        return cue in ("label", "title", "relation") and not self.ordinary(surname)

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
            if not self.accept_after_cue(token, lower=False, first=False, cue="credential"):
                break
            start -= 1
        while start < end and self.tokens[start].is_initial:
            start += 1
        return start if start < end else None

    def name_after(self, position: int, *, cue: str, lone_word: bool = True) -> int | None:
        """Record a name starting at the first token at or after ``position``, skipping
        possessives, relation words and titles ("her daughter", "Baby Girl"); return where it
        ends (the note offset), or None."""
        index = self._token_at_or_after(position)
        if index is None:
            return None
        for _ in range(3):
            if index >= len(self.tokens):
                return None
            token = self.tokens[index]
            if cue == "label" and self._descriptor_before_name(index):
                index += 1  # "Caregiver: niece Talulah", "Contact: call Maribel"
                continue
            gap = (
                self.note[token.end : self.tokens[index + 1].start]
                if index + 1 < len(self.tokens)
                else ""
            )
            if token.key not in SKIPPABLE_AFTER_CUE or gap.strip(" \t,:/()") != "":
                break  # "lives with his wife). Date:": a sentence ends, no name follows
            index += 1
        if index >= len(self.tokens) or self.tokens[index].start - position > 40:
            return None
        head = self.tokens[index]
        if "\n" in self.note[position : head.start] and (
            self.ordinary(head) or self.note[head.end : head.end + 1] == ":"
        ):
            return None  # the next line opens with a word or a header ("Psychologist\nSession:")
        end = self.walk_forward(index, cue=cue)
        if end is None or (not lone_word and end == index + 1 and self.ordinary(head)):
            return None  # "RE: Level 1 appeal", "To: Nurse Line": a word, not a person
        self.add(index, end)
        return self.tokens[end - 1].end

    def _descriptor_before_name(self, index: int) -> bool:
        tokens = self.tokens
        return (
            tokens[index].is_lower
            and index + 1 < len(tokens)
            and self.joinable(tokens[index], tokens[index + 1])
            and tokens[index + 1].is_capitalized
        )

    def _token_at_or_after(self, position: int) -> int | None:
        """The token at ``position`` past spaces and punctuation, and past one line break: a
        wrapped line may put the name under its cue ("Her husband\nAugustin says")."""
        text = self.note
        while position < len(text) and text[position] in " \t,(\"'":
            position += 1
        if text[position : position + 1] == "\n" or text[position : position + 2] == "\r\n":
            position = text.index("\n", position) + 1
            while position < len(text) and text[position] in " \t":
                position += 1
        return self._token_starting_at(position)

    def add(self, start: int, end: int) -> None:
        end = self._suffix_end(end)
        if end > start and self.spans.get(start, 0) < end:
            self.spans[start] = end

    def _suffix_end(self, end: int) -> int:
        """Past a generational suffix right after the name ("Washington III", "Cole, Jr.")."""
        tokens = self.tokens
        if end < len(tokens) and tokens[end].key in SUFFIXES and not tokens[end].is_lower:
            gap = self.note[tokens[end - 1].end : tokens[end].start]
            if gap in CAP_SEPARATORS or gap in (", ", ","):
                return end + 1
        return end

    # -- the passes ---------------------------------------------------------------------------

    def find_cued(self) -> None:
        note, tokens = self.note, self.tokens
        for index in self.text.indices_of(CUE_OR_VERB_WORDS):
            token = tokens[index]
            key = token.key
            if key in VERB_CUE_FIRST_WORDS:
                verb = VERB_CUES.match(self.lower, token.start)
                if verb is not None:
                    alias = ALIAS_VERBS.match(self.lower, token.start) is not None
                    self.name_after(verb.end(), cue="alias" if alias else "verb")
            if key not in CUE_WORDS:
                continue
            after = note[token.end : token.end + 1]
            if key in TITLE_SET and after in (".", " ", "\t"):
                position = token.end + (1 if after == "." else 0)
                if note[position : position + 1] in (" ", "\t"):
                    # "nurse triage", "officer report": a title that is also a noun announces
                    # a dictated name only as a role does (a known name, or two unknown words)
                    dictated = key in NOUN_TITLES and note[position + 1 : position + 2].islower()
                    self.name_after(position, cue="role" if dictated else "title")
            elif key in RELATION_SET and after != ":":
                end = self.name_after(token.end, cue="relation")
                while end is not None and key in PLURAL_RELATIONS:
                    item = NEXT_IN_LIST.match(note, end)  # "children Neema (8), Baraka (5)"
                    end = self.name_after(item.end(), cue="relation") if item else None
            elif key in ROLES_WITHOUT_COLON and after in (" ", "\t", "\n", ","):
                if index + 1 < len(tokens) and self._may_follow_role(tokens[index + 1]):
                    self.name_after(token.end, cue="role")
            elif key in ("patient", "pt") and after in (" ", "\t"):
                self.name_after(token.end, cue="role")
        self._find_labelled()
        self._find_signatures()
        self._find_credentialed()
        self._find_dictated_credentialed()
        self._find_dictated_openers()
        self._find_spelled_names()
        self._find_inline_sign_offs()
        self._find_dictated_after_prepositions()
        for match in RELATION_IN_PARENS.finditer(self.lower):
            name_end = match.start()
            while name_end > 0 and note[name_end - 1] in " \t":
                name_end -= 1
            end_index = self._token_ending_at(name_end)
            if end_index is not None:
                first = self.walk_backward(end_index + 1)
                if first is not None:
                    self.add(first, end_index + 1)

    def _may_follow_role(self, token: Token) -> bool:
        """A name may start after a role word ("research coordinator Ann Lee"): a capitalized
        word, or in dictation a known name that is no vocabulary ("nurse practitioner keisha
        washington"), never "physician assistant will call"."""
        if token.is_capitalized:
            return True
        if token.is_initial:  # "RN D. BEGAYE"
            return self.note[token.end : token.end + 2] == ". "
        if not token.is_lower or self.ordinary(token) or self.blocked(token):
            return False
        if self.known_name(token):
            return True
        # "her np, tamsin crowe": an unknown word, then a surname that is no vocabulary
        index = self._token_starting_at(token.start)
        following = self.tokens[index + 1] if index + 1 < len(self.tokens) else None
        return (
            following is not None
            and self.joinable(token, following)
            and following.is_lower
            and self.known_name(following)
            and not self.ordinary(following)
        )

    def _find_credentialed(self) -> None:
        """ "Jane Doe, MD", "J. Doe NP": the name just before a credential."""
        note = self.note
        for match in self.text.matches_at_words(CREDENTIAL, CREDENTIAL_WORDS, cased=True):
            start = match.start()
            if not boundary_before(note, start) or note[match.end() : match.end() + 1] == ":":
                continue  # "Triage RN: Ann Lee": a label, and Ann Lee follows it
            before = note[max(0, start - 4) : start]
            gap = len(before) - len(before.rstrip(" \t"))
            if before[: len(before) - gap].endswith(","):
                name_end = start - gap - 1
                while name_end > 0 and note[name_end - 1] in " \t":
                    name_end -= 1
            elif gap and match.group() in CREDENTIALS_PLAIN_SET:
                name_end = start - gap
            else:
                continue
            end_index = self._token_ending_at(name_end)
            if end_index is None:
                continue
            first = self.walk_backward(end_index + 1)
            if first is not None and not (
                first == end_index and self.tokens[first].key in STATE_WORDS
            ):  # "Hawaii APRN license": a state's licence, no person
                self.add(first, end_index + 1)

    def find_by_lexicon(self) -> None:
        """Runs of capitalized words that the name lists recognise.

        It visits every capitalized word of the note, so ``blocked`` and ``joinable`` are
        written out here (same tests): a method call per word costs more than the test."""
        tokens, note = self.tokens, self.note
        count = len(tokens)
        blocked = self.lex.note_words | self.lex.stopwords | TITLE_SET | RELATION_SET
        resume = 0
        for index in self.capitalized:
            if index < resume:
                continue
            token = tokens[index]
            if token.key in blocked:
                continue
            end = index + 1
            while end < count and end - index < 6:
                following = tokens[end]
                capital = following.is_capitalized or following.is_upper or following.is_initial
                if not capital and following.key not in PARTICLES:
                    break  # a lower-case word ends the run, whatever the gap before it
                previous = tokens[end - 1]
                gap = note[previous.end : following.start]
                if gap not in CAP_SEPARATORS and not (
                    (previous.is_initial or previous.key in DOTTED_PARTICLES)
                    and gap in INITIAL_GAPS
                ):
                    break
                if capital:
                    if following.key in blocked or end - index >= 4:
                        break
                    end += 1
                    continue
                surname = self.particles_end(end)  # "Pieter van der Linde"
                if surname is None:
                    break
                end = surname
            if end == index + 1 and (token.is_upper or not self.known_name(token)):
                resume = end  # one capital word that no name list holds: never a name alone
                if not token.is_upper and not self.ordinary(token):
                    self._given_name_before(index, surname_only=True)  # "Grace Ilunga"
                    if self._unknown_subject(token):
                        self.add(index, end)  # "Xio reports"
                continue
            if self._judge_run(index, end) == index:
                self._given_name_before(index)
            resume = end

    def _given_name_before(self, index: int, *, surname_only: bool = False) -> None:
        """ "Bill Nakashima-Grant", "Mercy Lindqvist", "Grace Ilunga": a given name that is
        also an ordinary or place word is part of the name when a surname that is no
        vocabulary follows it (``surname_only``: that surname is not recorded yet)."""
        if index == 0:
            return
        head, surname = self.tokens[index - 1], self.tokens[index]
        if (
            head.key not in CUE_WORDS  # "Son Phuc Tran": a relation, then the name
            and head.is_capitalized
            and head.key in self.lex.first_names
            and (head.key in self.lex.stopwords or head.key in self.lex.note_words)
            and self.joinable(head, surname)
            and not self.ordinary(surname)
            and name_cased(surname.text)
            and not self.eponym(surname)
        ):
            end = index + 1 if surname_only else self.spans.pop(index)
            self.add(index - 1, end)

    def _judge_run(self, start: int, end: int) -> int | None:
        """Record the name in the run of capitalized words ``start:end``; return where it starts."""
        # Every test here is a pure function of the words (the caches aside), so the flags each
        # word needs more than once are read once, in lists: this runs hundreds of times a note.
        run = self.tokens[start:end]
        known = [self.known_name(token) for token in run]
        if True not in known:
            return None
        upper_run = False not in [token.is_upper or token.is_initial for token in run]
        if upper_run and len(run) < 2:
            return None
        if any(
            t.key in SCALE_NOUNS or t.key in DISEASE_NOUNS or t.key in PLACE_NOUNS for t in run[1:]
        ):
            return None  # "Richmond Agitation-Sedation Scale", "Addison Disease", "Daly City"
        if any(ROMAN_CLASS.fullmatch(t.text) for t in run):
            return None  # "Forrest IIa", "Salter-Harris IIb": a classification
        last = run[-1]
        if DOSE_AFTER.match(self.note, last.end, min(len(self.note), last.end + 12)):
            return None
        if self._eponym_noun_follows(last) or all(self.eponym(t) or t.is_initial for t in run):
            return None
        lex = self.lex
        # Evidence: a strong name word, or else a given name before a surname (each ``any``
        # stops at its first yes; the pairs are read only when no word is strong).
        evidence = any(
            len(t.key) >= 3
            and (lex.is_name(t.key) or self._compound_surname(t))
            and t.key not in STATE_WORDS
            and t.key not in MONTH_WORDS
            and name_cased(t.text)
            and not self.ordinary(t)
            and not self.eponym(t)
            for t in run
        )
        if not evidence and upper_run:  # headers: "JOHN SMITH", not "WELL CHILD CHECK"
            evidence = any(
                left.key in lex.census_first_names
                and right.key in lex.last_names
                and not (self.ordinary(left) or self.ordinary(right))
                for left, right in pairwise(run)
            )
        elif not evidence:
            evidence = any(
                left.key in lex.first_names
                and name_cased(left.text)
                and (right.is_initial or name_cased(right.text))
                and (right.key in lex.last_names or not self.ordinary(right))
                and not (self.ordinary(left) and self.ordinary(right))
                for left, right in pairwise(run)
            )
        if not evidence:
            return None
        if (
            len(run) == 1
            and starts_sentence(self.note, run[0].start)
            and run[0].key not in lex.census_first_names
            and not self._reporting_verb_follows(run[0])
        ):
            # A capitalized first word is weak evidence: "Brought in by EMS" is no surname.
            return None
        named = [is_known or not self.ordinary(t) for t, is_known in zip(run, known, strict=True)]
        first = next(i for i, t in enumerate(run) if t.is_initial or named[i])
        last_index = max(i for i, t in enumerate(run) if not t.is_initial and named[i])
        if first > last_index:
            return None
        self.add(start + first, start + last_index + 1)
        return start + first

    def _verb_after(self, token: Token) -> str:
        """The word right after ``token`` (past a closing quote: '"Fitz" says'), or ""."""
        end = token.end + (self.note[token.end : token.end + 1] in CLOSE_QUOTES)
        following = NEXT_WORDS.match(self.lower, end, end + 30)
        return following.group(1) if following is not None else ""

    def _reporting_verb_follows(self, token: Token) -> bool:
        return self._verb_after(token) in REPORTING_VERBS

    def _unknown_subject(self, token: Token) -> bool:
        """A word no list knows, cased as a name, before a verb only people do: "Xio reports"."""
        return (
            len(token.key) >= 3
            and name_cased(token.text)
            and not self.eponym(token)
            and token.key not in self.lex.places
            and self._reporting_verb_follows(token)
        )

    def find_quoted_speakers(self) -> None:
        """'"Bud" says he feels better': a quoted word before a verb only people do is what
        someone is called, even when it is also a word."""
        tokens = self.tokens
        for index in self.capitalized:
            token = tokens[index]
            if (
                token.is_capitalized
                and self._quoted(token)
                and token.key not in CUE_WORDS
                and self._reporting_verb_follows(token)
            ):
                self.add(index, index + 1)

    def find_middle_initials(self) -> None:
        """ "Hunter J. Stone", "Faith A Young": a given name, a middle initial and a surname are
        a name even when both words are also ordinary ones; no sentence or heading has that
        shape."""
        tokens, lex = self.tokens, self.lex
        count = len(tokens)
        for index in self.capitalized:
            if index + 2 >= count or not tokens[index + 1].is_initial:
                continue
            given, initial, surname = tokens[index], tokens[index + 1], tokens[index + 2]
            if (
                given.is_capitalized
                and surname.is_capitalized
                and given.key in lex.first_names
                and given.key not in CUE_WORDS
                and surname.key not in lex.note_words
                and surname.key not in CUE_WORDS
                and (surname.key in lex.last_names or not self.ordinary(surname))
                and self.note[given.end : initial.start] in CAP_SEPARATORS
                and self.joinable(initial, surname)
                and not self._eponym_noun_follows(surname)
            ):
                self.add(index, index + 3)

    def _compound_surname(self, token: Token) -> bool:
        """ "Fernandes-Akande": a hyphenated word with a known name in it and no vocabulary."""
        parts = token.parts
        return (
            len(parts) > 1
            and any(self.lex.is_name(part) for part in parts)
            and not self.eponym(token)
        )

    def spread(self) -> dict[int, int]:
        """Every other mention of a word of a name already found."""
        lex = self.lex
        words: set[str] = set()
        written: set[str] = set()  # the names' words as the note writes them
        for start, end in self.spans.items():
            for token in self.tokens[start:end]:
                written.add(token.text)
                if (
                    token.is_initial
                    or len(token.key) < 2
                    or token.key in PARTICLES
                    or token.key in SUFFIXES  # "III" of a name, "class II" elsewhere
                ):
                    continue
                words.add(token.key)
                for part in token.parts:
                    if len(part) >= 3 and part not in lex.common_words and part not in lex.eponyms:
                        words.add(part)
        covered = self._covered()
        extra: dict[int, int] = {}
        for index in self.text.indices_of(words):
            token = self.tokens[index]
            if token.key not in words or index in covered:
                continue
            if token.is_upper and len(token.key) <= 3 and token.text not in written:
                continue  # "TB" of a test, though a name "Tb..." was found: an abbreviation
            if self.blocked(token) and not self._name_not_word(index):
                continue
            # a word in dictation only when the name was dictated and a verb of its follows:
            # "goes by butch ... butch comes in"
            if (
                token.is_lower
                and (self.ordinary(token) or token.key in lex.eponyms)
                and (token.text not in written or not self._person_verb_follows(token))
            ):
                continue
            if self._eponym_noun_follows(token) or self._scored(token):
                continue
            extra[index] = index + 1
        return extra

    def with_particles(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Each name with the particles just before it: "van der" of "van der Berg" belongs to
        the surname wherever it is mentioned."""
        tokens = self.tokens
        extended = []
        for start, end in spans:
            if tokens[start].is_lower:
                extended.append((start, end))
                continue
            while (
                start > 0
                and tokens[start - 1].key in PARTICLES
                and tokens[start - 1].is_lower
                and len(tokens[start - 1].key) > 1
                and self.joinable(tokens[start - 1], tokens[start])
            ):
                start -= 1
            extended.append((start, end))
        return extended

    def _person_verb_follows(self, token: Token) -> bool:
        """A verb that agrees with a person right after ``token``: "bill reports", "june fell",
        "faith may call"; not a bare verb ("will recheck")."""
        verb = self._verb_after(token)
        return (
            verb in PERSON_VERBS
            or verb in MODALS
            or (
                len(verb) > 3
                and (verb.endswith("ed") or (verb.endswith("s") and verb[-2] not in "su"))
            )
        )

    def _name_not_word(self, index: int) -> bool:
        """Is a capitalized "Bill", "June" or "Mercy" the person of that name, not the word? Yes
        inside a sentence or as a possessive; at its start only before a verb that agrees with
        a person ("Bill reports", "June fell", "Faith may call"), not a bare verb after a modal
        ("Will recheck", "May start")."""
        token = self.tokens[index]
        if not token.is_capitalized or token.key in TITLE_SET:
            return False
        if not starts_sentence(self.note, token.start) or token.text.endswith(("'s", "\u2019s")):
            return True  # "Autumn's flight lands tomorrow"
        return self._person_verb_follows(token)

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


def find_name_candidates(note: NoteText) -> Iterator[Candidate]:
    """Name mentions in ``note``, each tagged with the person it belongs to."""
    finder = _NameFinder(note)
    finder.find_cued()
    finder.find_surname_first()
    finder.find_by_lexicon()
    finder.find_middle_initials()
    finder.find_quoted_speakers()
    finder.find_caret_names()
    finder.find_bracketed_nicknames()
    spans = _merged(finder.spans)
    finder.spans = dict(spans)
    spans = finder.with_particles(_merged({**dict(spans), **finder.spread()}))
    people = _People()
    mentions = [[t.key for t in finder.tokens[s:e] if not t.is_initial] for s, e in spans]
    for mention in sorted(mentions, key=len, reverse=True):
        people.register(mention)
    for (start, end), mention in zip(spans, mentions, strict=True):
        first, last = finder.tokens[start], finder.tokens[end - 1]
        yield Candidate("name", first.start, last.end, 30, person=people.person_of(mention))


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
            for part in COMPOUND_JOIN.split(word):
                if len(part) >= 3:
                    self.by_word.setdefault(part, person)

    def person_of(self, words: list[str]) -> str:
        return self.full.get(tuple(words)) or self.by_word.get(words[0] if words else "", "p0")
