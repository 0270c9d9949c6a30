"""Names in the layouts of forms and records: labels ("Patient:", "FIRST ........ CHIDINMA"),
surnames written first ("HILL, FAITH A.", a table's "Castellano, Iris"), HL7 and DICOM carets,
signatures and nicknames in brackets. Mixed into the name finder of ``names.py``, whose word
tests and walks these passes use."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extraction.phi.name_cues import (
    ALIAS_LABELS,
    BRACKETED_NICKNAME,
    BRACKETED_WORD,
    CARET_NAME,
    CELL_END,
    CREDENTIAL,
    CREDENTIAL_SET,
    DOT_LEADER,
    MONTH_WORDS,
    NAME_PART_LABELS,
    QUOTED_WORD,
    RELATION_SET,
    ROLE_SET,
    SIGN_OFF_LINES,
    SIGNATURE_DASH,
    STATE_WORDS,
    TAB_LABEL,
    TITLE_SET,
    TRAILING_INITIAL,
    VOWEL,
    WEAK_LABELS,
    name_cased,
)
from extraction.phi.text import Token, occurrences


class FormSearch:
    """The form and record passes of ``names._NameFinder`` (mixed into it: they read its
    tokens, note and lexicon, and record names with its ``add``)."""

    def _given_names_after_comma(self, end: int) -> int:
        """ "SMITH, JOHN A" / "Lopez, Maria": a surname-first name continues past its comma
        when a known given name follows."""
        tokens = self.tokens
        if end >= len(tokens) or self.note[tokens[end - 1].end : tokens[end].start] not in (
            ", ",
            ",",
        ):
            return end
        given, surname = tokens[end], tokens[end - 1]
        if surname.is_lower:
            return self._dictated_given_names(end)
        if not (given.is_capitalized or given.is_upper) or self._blocked_given(given):
            return end
        credential = CREDENTIAL.match(self.note, given.start)
        if credential is not None and credential.end() >= given.end:
            if not self._given_name_follows(end, surname):
                return end  # "Pike, PsyD": a credential; but "XIONG, PA NHIA": a given name
        elif not self._given_name(given, surname):
            return end
        end += 1
        # Further given names ("NGUYEN, THI HUONG") and initials ("SMITH, JOHN A").
        while end < len(tokens) and self.joinable(tokens[end - 1], tokens[end]):
            following = tokens[end]
            if following.text in CREDENTIAL_SET:
                break  # "HUANG, MEI-HUA MD"
            if self._quoted(following) and name_cased(following.text.capitalize()):
                end += 1  # 'KOWALCZYK, WILLIAM "BILL" J.'
                continue
            if not following.is_initial and (
                self._blocked_given(following) or not self._given_name(following, surname)
            ):
                break
            end += 1
        return end

    def _dictated_given_names(self, end: int) -> int:
        """ "pt: rahman, zayd ibrahim": in dictation, up to two given names after the comma,
        words that are no vocabulary ("pt: smith, will call back" has none)."""
        tokens = self.tokens
        start = end
        while end < len(tokens) and end - start < 2:
            given = tokens[end]
            if end > start and not self.joinable(tokens[end - 1], given):
                break
            if (
                not given.is_lower
                or len(given.key) < 3
                or self.ordinary(given)
                or self.blocked(given)
                or VOWEL.search(given.key) is None
            ):
                break
            end += 1
        return end

    def _given_name_follows(self, index: int, surname: Token) -> bool:
        """Does a given name follow token ``index`` in the same name ("PA NHIA")?"""
        tokens = self.tokens
        if index + 1 >= len(tokens) or not self.joinable(tokens[index], tokens[index + 1]):
            return False
        following = tokens[index + 1]
        return (
            following.is_upper == tokens[index].is_upper
            and following.text not in CREDENTIAL_SET
            and not self._blocked_given(following)
            and self._given_name(following, surname)
        )

    def _blocked_given(self, token: Token) -> bool:
        """``blocked``, except that a US given name that is also a word may follow
        "Surname," ("HILL, FAITH A.", "Young, Hunter James")."""
        if token.key in self.lex.stopwords and token.key in self.lex.census_first_names:
            return token.key in self.lex.note_words or token.key in TITLE_SET
        return self.blocked(token)

    def _given_name(self, given: Token, surname: Token) -> bool:
        """A given name after "Surname," : a known one, or any word that is no vocabulary and
        is cased like the surname; never a state or a month ("Portland, Maine")."""
        if given.key in STATE_WORDS or given.key in MONTH_WORDS:
            return False
        if self._eponym_noun_follows(given):
            return False  # "Full ROM, Thompson test negative"
        if not (given.is_capitalized or given.is_upper) or given.text in CREDENTIAL_SET:
            return False
        if given.key in self.lex.first_names:
            return True
        # Unknown given names: cased like the surname ("OKAFOR, CHIDI"), or the EHR's
        # "ZHOU, Xiaoming"; three letters at least ("No LOF, VB" is no name).
        same_casing = given.is_upper == surname.is_upper or (
            surname.is_upper and given.is_capitalized
        )
        return (
            same_casing
            and len(given.key) >= 3
            and VOWEL.search(given.key) is not None  # "COC, PCP" is a list of drug screens
            and not self.ordinary(given)
        )

    def find_surname_first(self) -> None:
        """Headers that write the surname first in capitals ("NGUYEN, THI HUONG  58F"): a
        known surname that is no vocabulary, a comma, then given names."""
        tokens = self.tokens
        for index in self.capitalized:
            token = tokens[index]
            if not token.is_upper:
                if self.note[token.end : token.end + 1] == ",":  # cheap test first: most are not
                    self._surname_first_in_a_cell(index)
                continue
            if len(token.key) < 2 or token.key not in self.lex.last_names:
                continue
            plain = not (self.blocked(token) or self.ordinary(token) or self.eponym(token))
            if not plain and not self._opens_line_alone(token):
                continue
            end = self._given_names_after_comma(index + 1)
            if end == index + 1:
                continue
            # A surname that is also a word ("MARSH, HOLLY A") needs the header's layout: it
            # opens its line, a US given name follows, and a wide gap or the line's end closes.
            if plain or (
                tokens[index + 1].key in self.lex.census_first_names
                and self._ends_value(tokens[end - 1].end)
            ):
                self.add(index, end)

    def _surname_first_in_a_cell(self, index: int) -> None:
        """ "1\tCastellano, Iris\t03/30/1964", "03:25  Tsinajinnie, Rosalind / 3301920": a
        table's cell (after a tab, a pipe or a wide gap) that holds only a surname, a comma and
        given names."""
        tokens, note = self.tokens, self.note
        token = tokens[index]
        before = note[max(0, token.start - 4) : token.start]
        opens_cell = before.rstrip(" ").endswith(("\t", "|")) or before.endswith("  ")
        if not opens_cell or self.blocked(token) or self.eponym(token):
            return
        if token.key not in self.lex.last_names and self.ordinary(token):
            return
        end = self._given_names_after_comma(index + 1)
        if (
            end > index + 1
            and tokens[index + 1].key in self.lex.first_names
            and CELL_END.match(note, tokens[end - 1].end) is not None
        ):
            self.add(index, end)

    def _opens_line_alone(self, token: Token) -> bool:
        line_start = self.note.rfind("\n", 0, token.start) + 1
        return self.note[line_start : token.start].strip(" \t") == ""

    def _ends_value(self, position: int) -> bool:
        """Does a form's value end at ``position``: a line end, a comma, a bracket, or a gap
        of two spaces or a tab before the next field? An initial's period may come first."""
        if self.note[position : position + 1] == ".":
            position += 1
        after = self.note[position : position + 2]
        return after[:1] in ("", "\n", "\r", ",", "(", ";", "\t") or after == "  "

    def find_bracketed_nicknames(self) -> None:
        """'KING, THOMAS ("Tommy")', 'Wyatt "Buck" Hollingsworth', "Bao-Lin (Betty)": the
        nickname right after a name is that person's too."""
        starts = set(self.spans)
        for end in sorted(set(self.spans.values())):
            nickname = self._nickname_after(self.tokens[end - 1].end, starts)
            if nickname is not None:
                index = self._token_starting_at(nickname.start(1))
                if index is not None:
                    self.add(index, index + 1)

    def _nickname_after(self, position: int, name_starts: set[int]) -> re.Match[str] | None:
        """A quoted word in brackets; a quoted word before another name; a bare word in
        brackets that is a given name ("(Betty)") or stands before another name."""
        note = self.note
        initial = TRAILING_INITIAL.match(note, position)  # 'KOWALCZYK, DOLORES M. ("Dee")'
        if initial is not None:
            position = initial.end()
        bracketed = BRACKETED_NICKNAME.match(note, position)
        if bracketed is not None:
            return bracketed
        quoted = QUOTED_WORD.match(note, position)
        if quoted is not None and self._token_starting_at(quoted.end()) in name_starts:
            return quoted
        bare = BRACKETED_WORD.match(note, position)
        if bare is None:
            return None
        word = bare.group(1).lower()
        if word in self.lex.first_names and word not in self.lex.stopwords:
            return bare
        return bare if self._token_at_or_after(bare.end()) in name_starts else None

    def find_caret_names(self) -> None:
        """HL7 and DICOM names ("ZHOU^WEN-LI"): a known family name before the first caret or a
        known given name after it; coded values ("33914-3^EGFR^LN", "PRN^PH") have neither."""
        if "^" not in self.note:
            return
        lex = self.lex
        for match in CARET_NAME.finditer(self.note):
            family = match.group(1).split()[-1].lower()
            given = match.group(2).replace("^", " ").split()[0].lower()
            known = (
                (family in lex.last_names and not lex.is_common(family))
                or (given in lex.first_names and not lex.is_common(given))
                or self._name_field(match.start())
            )
            start = self._token_starting_at(match.start())
            end = self._token_ending_at(match.end())
            if known and start is not None and end is not None:
                self.add(start, end + 1)

    def _name_field(self, position: int) -> bool:
        """Is ``position`` the value of a name field: HL7 PID-5, or a DICOM "...Name:" tag?"""
        line_start = self.note.rfind("\n", 0, position) + 1
        prefix = self.lower[line_start:position]
        return prefix.rstrip().endswith("name:") or (
            prefix.startswith("pid|") and prefix.count("|") == 5
        )

    def _find_signatures(self) -> None:
        """A sign-off line ("Sincerely,") before the signer's line, or a short line opening
        with a dash ("-- Jane Doe, MD")."""
        note, lower = self.note, self.lower
        line_start = 0
        while line_start < len(note):
            line_end = note.find("\n", line_start)
            line_end = len(note) if line_end < 0 else line_end
            if line_end - line_start <= 80:
                line = lower[line_start:line_end].strip(" \t,:.")
                if line in SIGN_OFF_LINES:
                    self.name_after(line_end + 1, cue="signoff")
                else:
                    dash = SIGNATURE_DASH.match(note, line_start, line_end)
                    if dash is not None and note[dash.end() : dash.end() + 1].isupper():
                        self.name_after(dash.end(), cue="signoff")
            line_start = line_end + 1

    def _find_labelled(self) -> None:
        """ "Patient: Ann Lee", "Daughter / health care agent: Ann Lee", "Referred by: Ann Lee"."""
        note = self.note
        for position, value_start in self._label_ends():
            end = position
            if note[end - 1 : end] == ")" and "(" in note[max(0, end - 40) : end]:
                end = note.rindex("(", 0, end)  # "NAME (Last, First, Middle):"
            while end > 0 and note[end - 1] in " \t)0123456789":  # "Guardian 2:"
                end -= 1
            index = self._token_ending_at(end)
            if index is not None:
                key = self.tokens[index].key.rsplit("-", 1)[-1]
                if key in ROLE_SET or key in RELATION_SET:
                    self.name_after(value_start, cue="label", lone_word=key not in WEAK_LABELS)
                elif key in NAME_PART_LABELS and self._opens_line(index):
                    self.name_after(value_start, cue="label")  # "FIRST ........ CHIDINMA"
                elif key in ALIAS_LABELS:
                    self.name_after(value_start, cue="alias")  # 'PREFERRED .... "Chi-Chi"'
                elif self._relation_opens_label(index):
                    self.name_after(value_start, cue="label")  # "Sibling in the home: Nou"
                elif self._opens_line(index):
                    self._full_name_after_label(value_start)

    def _label_ends(self) -> Iterator[tuple[int, int]]:
        """Where a label ends and its value starts: at a colon, or across a form's dot leader
        ("Patient ............ FA'AMAUSILI, SIONE T.")."""
        note = self.note
        for position in occurrences(note, ":"):
            yield position, position + 1
        if "..." in note:
            for leader in DOT_LEADER.finditer(note):
                yield leader.start(), leader.end()
        if "\t" in note:
            for label in TAB_LABEL.finditer(note):  # "Patient\tBegay, Nizhoni R.\tDOB ..."
                yield label.end("label"), label.end()

    def _relation_opens_label(self, index: int) -> bool:
        """A label of up to four words that opens its line with a relation: "Sibling in the
        home:", "Mother of baby:"."""
        tokens = self.tokens
        first = index
        while first > 0 and index - first < 3 and self.joinable(tokens[first - 1], tokens[first]):
            first -= 1
        if tokens[first].key not in RELATION_SET:
            return False
        line_start = self.note.rfind("\n", 0, tokens[first].start) + 1
        return self.note[line_start : tokens[first].start].strip(" \t-*\u2022") == ""

    def _opens_line(self, index: int) -> bool:
        """The label ending at token ``index`` has one or two words and starts its line or a
        column of a form (after a tab or a wider gap: "MI: R   Last: van der Berg")."""
        token = self.tokens[index]
        line_start = self.note.rfind("\n", 0, token.start) + 1
        column_start = max(
            line_start,
            self.note.rfind("  ", 0, token.start) + 2,
            self.note.rfind("\t", 0, token.start) + 1,
        )
        label = self.note[column_start : token.end].strip(" \t-*\u2022")
        return 0 < len(label.split()) <= 2

    def _full_name_after_label(self, position: int) -> None:
        """ "Traveler: Oluwaseun Bankole-Ferreira": after a line label we do not know, a name
        needs more evidence than after "Patient:": the whole value is two to four name-cased
        words, none of them vocabulary, at least one a known name."""
        index = self._token_at_or_after(position)
        tokens, note = self.tokens, self.note
        if index is None or "\n" in note[position : tokens[index].start]:
            return
        end = index
        while end < len(tokens) and end - index < 5:
            token = tokens[end]
            if end > index and not self.joinable(tokens[end - 1], token):
                break
            surname = self.particles_end(end)  # "van der Berg"
            if surname is not None:
                end = surname
                token = tokens[end]
            elif self._quoted(token) and name_cased(token.text):
                end += 1  # 'Rocco "Rocky" Marchetti'
                continue
            if not token.is_initial and (
                not name_cased(token.text)
                or self.blocked(token)
                or self.ordinary(token)
                or self.eponym(token)
            ):
                return
            end += 1
        run = tokens[index:end]
        if (
            len(run) >= 2
            and self._ends_value(tokens[end - 1].end)
            and any(self.known_name(t) or self._compound_surname(t) for t in run)
        ):
            self.add(index, end)
