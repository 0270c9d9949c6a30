"""Names in lower-case dictation, which speech recognition writes without capitals: "this is
marisol quintanilla, lcsw", "her husband keoni was present", "visit for harold mcpherson",
"last name spelled a-n-z-a-l-d-u-a". Mixed into the name finder of ``names.py``, whose word
tests (``ordinary``, ``known_name``, ``joinable``...) and note these passes read."""

from __future__ import annotations

from extraction.phi.name_cues import (
    AFTER_A_NAME,
    DICTATED_ABBREVIATION,
    DICTATED_CREDENTIALS,
    DICTATED_NAME_ENDERS,
    INLINE_SIGN_OFF,
    NAME_IDENTIFIER_WORDS,
    PARTICLES,
    SIGNATURE_END,
    SPACED_CREDENTIALS,
    SPELLED_NAME,
    WEAK_NAME_CUES,
)
from extraction.phi.text import Token, boundary_before, occurrences


class DictationSearch:
    """The dictation passes of ``names._NameFinder`` (mixed into it: they read its tokens,
    note and lexicon, and record names with its ``add``)."""

    def _dictated_place_surname(self, token: Token, *, cue: str) -> bool:
        """ "dr. hyun-joo park, sleep medicine": after a title, a place word that is a common
        surname ends a dictated name when punctuation follows it (not "park avenue")."""
        return (
            cue == "title"
            and token.key in self.lex.note_words
            and token.key in self.lex.frequent_last_names
            and self.note[token.end : token.end + 1] in (",", ".", ";", "\n", "")
        )

    def _alone_before_a_verb(self, token: Token, following: Token) -> bool:
        """A word of five letters or more that is no vocabulary, pronounceable (not "nstemi"),
        then a comma or a word that follows a person's name: "keoni was", "keoni, who"."""
        return (
            len(token.key) >= 5
            and DICTATED_ABBREVIATION.match(token.key) is None
            and (
                self.note[token.end : token.end + 1] == ","
                or (self.joinable(token, following) and following.key in AFTER_A_NAME)
            )
        )

    def _dictated_particles_end(self, index: int) -> int | None:
        """ "ferreira do nascimento", "van der berg": particles inside a dictated name, before
        a surname (a word that is no vocabulary, or a known surname)."""
        tokens = self.tokens
        following = index
        while (
            following < len(tokens) and following - index < 3 and tokens[following].key in PARTICLES
        ):
            if following + 1 >= len(tokens) or not self.joinable(
                tokens[following], tokens[following + 1]
            ):
                return None
            following += 1
        if following == index or following >= len(tokens):
            return None
        surname = tokens[following]
        if surname.is_lower and (not self.ordinary(surname) or surname.key in self.lex.last_names):
            return following
        return None

    def _dictated_initial(self, index: int) -> bool:
        """A lower-case middle initial and its period, then more of the name: "t. abernathy"."""
        tokens = self.tokens
        if index + 1 >= len(tokens) or len(tokens[index].key) != 1:
            return False
        following = tokens[index + 1]
        return (
            self.note[tokens[index].end : following.start] == ". "
            and following.is_lower
            and self.accept_after_cue(following, lower=True, first=False, cue="title")
        )

    def _find_dictated_credentialed(self) -> None:
        """ "this is marisol quintanilla, lcsw, dictating": a dictated name before a credential
        that is no word ("lcsw", "np"; not "do", "pa" or "ms"), or before its identifiers
        ("kainoa m. kahananui, date of birth")."""
        for index in self.text.indices_of(DICTATED_NAME_ENDERS):
            if index == 0 or not self._ends_dictated_name(index):
                continue
            end_index = index - 1
            if not self.tokens[end_index].is_lower:
                continue
            start = self._dictated_name_start(end_index)
            run = [t for t in self.tokens[start : end_index + 1] if len(t.key) > 1]
            if self._dictated_run_is_a_name(run):
                self.add(start, end_index + 1)

    def _dictated_run_is_a_name(self, run: list[Token]) -> bool:
        """A known name that is no vocabulary among the words, or two words at least and none
        of them vocabulary ("kehaulani mahoe cnm")."""
        return bool(run) and (
            any(self.known_name(t) and not self.ordinary(t) for t in run)
            or (len(run) >= 2 and not any(self.ordinary(t) for t in run))
        )

    def _ends_dictated_name(self, index: int) -> bool:
        """Does the word at ``index`` close a dictated name: a credential after a comma (some
        after a space: "feldstein dpm"), or a date of birth or record number after either?"""
        token, previous = self.tokens[index], self.tokens[index - 1]
        gap = self.note[previous.end : token.start]
        after_comma, after_space = gap in (", ", ","), gap == " "
        key = token.key
        if key in NAME_IDENTIFIER_WORDS:
            phrase = NAME_IDENTIFIER_WORDS[key]
            return (after_comma or after_space) and self.lower.startswith(phrase, token.start)
        if key == "p":  # "p a c"
            key = "pa-c" if self.lower.startswith("p a c", token.start) else key
        return key in DICTATED_CREDENTIALS and (
            after_comma or (after_space and key in SPACED_CREDENTIALS)
        )

    def _dictated_name_start(self, end_index: int) -> int:
        """Where the dictated name ending at token ``end_index`` starts: up to three words that
        are no vocabulary (or common surnames), and a middle initial ("dorothy a. kowalczyk")."""
        tokens = self.tokens
        start = end_index + 1
        while start > 0 and end_index + 1 - start < 4:
            previous = tokens[start - 1]
            if start <= end_index and start >= 2 and self._dictated_initial(start - 1):
                start -= 1  # the initial; its given name is tested next
                continue
            if start <= end_index and previous.key in PARTICLES and start >= 2:
                start -= 1  # "ferreira do nascimento"
                continue
            given = start <= end_index and previous.key in self.lex.census_first_names
            if not (
                previous.is_lower
                and (start == end_index + 1 or self.joinable(previous, tokens[start]))
                and (self._dictated_name_word(previous) or (given and not self.blocked(previous)))
            ):
                break  # a given name that is also a word only before the surname: "ana tsosie"
            start -= 1
        while start <= end_index and len(tokens[start].key) == 1:
            start += 1
        return start

    def _dictated_name_word(self, token: Token) -> bool:
        return (
            not self.blocked(token)
            and len(token.key) >= 2
            and (not self.ordinary(token) or token.key in self.lex.frequent_last_names)
        )

    def _find_dictated_after_prepositions(self) -> None:
        """ "visit for harold mcpherson,", "pt twice a week with marcus oyelaran": in dictation, a
        given name and a surname that is no vocabulary after "for", "with" or "seeing"."""
        tokens = self.tokens
        for index in self.text.indices_of(WEAK_NAME_CUES):
            if index + 2 >= len(tokens) or not tokens[index].is_lower:
                continue
            given, surname = tokens[index + 1], tokens[index + 2]
            end = index + 3
            particles_end = self._dictated_particles_end(index + 2)
            if particles_end is not None:  # "for wilhelmina van der berg"
                surname, end = tokens[particles_end], particles_end + 1
            if (
                given.is_lower
                and surname.is_lower
                and self.joinable(tokens[index], given)
                and self.joinable(given, surname)
                and given.key in self.lex.first_names
                and not self.blocked(given)
                and (not self.ordinary(given) or given.key in self.lex.census_first_names)
                and not self.ordinary(surname)
                and not self.blocked(surname)
                and (self.known_name(surname) or DICTATED_ABBREVIATION.match(surname.key) is None)
                and surname.key not in DICTATED_CREDENTIALS
            ):
                self.add(index + 1, end)

    def _find_inline_sign_offs(self) -> None:
        """ "call me after 5. thanks, shawn": the writer's name after a sign-off and a comma,
        closing the message (a known given name or a word that is no vocabulary)."""
        tokens = self.tokens
        for index in self.text.indices_of(INLINE_SIGN_OFF):
            if index + 1 >= len(tokens):
                continue
            name = tokens[index + 1]
            if (
                self.note[tokens[index].end : name.start] in (", ", ",\n", " ")
                and SIGNATURE_END.match(self.note, name.end) is not None
                and not self.blocked(name)
                and (name.key in self.lex.first_names or not self.ordinary(name))
            ):
                self.add(index + 1, index + 2)

    def _find_spelled_names(self) -> None:
        """ "last name spelled a-n-z-a-l-d-u-a": the letters of a name, spelled out."""
        for match in SPELLED_NAME.finditer(self.lower) if "spelled" in self.lower else ():
            start = self._token_starting_at(match.start(1))
            end = self._token_ending_at(match.end(1))
            if start is not None and end is not None:
                self.add(start, end + 1)

    def _find_dictated_openers(self) -> None:
        """ "this is mariam el-sayed, cardiology fellow, dictating": the dictating clinician
        introduces themself; two to four words that are no vocabulary (or a given name then a
        surname) before a comma."""
        lower, tokens = self.lower, self.tokens
        for at in occurrences(lower, "this is "):
            index = self._token_starting_at(at + len("this is "))
            if index is None or not boundary_before(lower, at):
                continue
            end = index
            while end < len(tokens) and end - index < 4 and tokens[end].is_lower:
                if end > index and not self.joinable(tokens[end - 1], tokens[end]):
                    break
                end += 1
            if end == index or self.note[tokens[end - 1].end : tokens[end - 1].end + 1] != ",":
                continue
            run = tokens[index:end]
            if (
                len(run) >= 2
                and not any(self.blocked(t) for t in run)
                and self._dictated_run_is_a_name(run)
            ):
                self.add(index, end)
