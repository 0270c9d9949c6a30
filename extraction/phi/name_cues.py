"""The words and shapes that announce or make up a person's name in a note: titles,
relations, roles, credentials, verbs ("accompanied by"), nicknames, HL7 carets, particles.
``names.py`` searches with them; keeping them apart keeps both readable."""

from __future__ import annotations

import re
import unicodedata

from extraction.phi.addresses import STATE_NAMES
from extraction.phi.lexicon import fold
from extraction.phi.text import words

# How names are written: "Smith", "McAllister", "O'Brien", "Okafor-Bell"; not "HepA", "eGFR".
NAME_CASED = re.compile(
    r"(?:Mc|Mac|O'|O\u2019|D'|D\u2019|De|Di|Da|Van|Le|La)?[A-Z][a-z]+"
    r"(?:[-'\u2019](?:Mc|Mac)?[A-Z]?[a-z]+)*(?:'s|\u2019s)?"
)


COMPOUND_JOIN = re.compile(r"[-'\u2019]")  # between the parts of "Okafor-Bell", "O'Brien"


def name_cased(text: str) -> bool:
    """``NAME_CASED`` on the word with its accents taken off: "Kovačević" is cased as a name."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return NAME_CASED.fullmatch(text) is not None


TITLES = words(
    "dr drs mr mrs ms miss mx prof professor doctor officer ofc sgt sergeant det detective rev "
    "reverend pastor chaplain judge attorney atty nurse captain capt lt lieutenant coach rabbi "
    "imam deputy trooper agent hon honorable"
)
RELATIONS = words(
    "wife husband spouse partner fiance fiancee fiancé fiancée boyfriend girlfriend mother mom "
    "father dad parent parents son daughter stepson stepdaughter child sister brother sibling "
    "grandson granddaughter grandchild grandmother grandfather grandma grandpa aunt uncle niece "
    "nephew cousin friend neighbor neighbour roommate caregiver guardian sister-in-law "
    "brother-in-law son-in-law daughter-in-law mother-in-law father-in-law stepmother "
    "stepfather godmother godfather widow widower ex-wife ex-husband grandniece grandnephew "
    "great-grandson great-granddaughter stepsister stepbrother half-sister half-brother "
    "gf bf coworker co-worker colleague housemate "
    "children kids sons daughters siblings brothers sisters "
    "grandchildren grandsons granddaughters"
)
ROLES = words(
    "patient pt name client member participant resident infant baby subscriber insured "
    "guarantor policyholder beneficiary attending surgeon physician provider pcp clinician "
    "doctor nurse rn np pa lpn cna therapist counselor psychologist psychiatrist worker manager "
    "coordinator navigator referring referral ordering prescriber pharmacist rph technician tech "
    "scribe chaperone interpreter translator witness author signer chaplain officer driver "
    "employer supervisor teacher landlord sponsor investigator consultant dietitian midwife "
    "doula cnm anesthesiologist anesthetist crna assistant fellow intern student dentist "
    "optometrist podiatrist chiropractor paramedic emt contact kin agent proxy poa hcp "
    "representative surrogate decision-maker cosigner owner caller informant re attn to from cc by "
    "sonographer technologist radiographer phlebotomist hygienist aide receptionist "
    "transcriptionist practitioner audiologist adjuster caseworker advocate liaison paralegal "
    "employee staff crew athlete"
)
# Roles strong enough to stand without a colon before a name ("research coordinator Ann Lee").
ROLES_WITHOUT_COLON = frozenset(ROLES) - {
    "name", "re", "attn", "to", "from", "cc", "by", "contact", "member", "resident", "student",
    "patient", "pt", "baby", "provider", "owner", "kin", "author", "signer", "agent",
}  # fmt: skip
PLURAL_RELATIONS = frozenset(
    words("parents children kids sons daughters siblings brothers sisters grandchildren")
    + words("grandsons granddaughters")
)
# Between the names of a list: "Neema (8), Baraka (5) and ..."
NEXT_IN_LIST = re.compile(
    r"[ \t]*(?:\([^()\n]{0,20}\))?[ \t]*(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)"
)
TITLE_SET = frozenset(TITLES)
NOUN_TITLES = TITLE_SET - frozenset(words("dr drs mr mrs ms miss mx prof hon ofc sgt det rev"))
# Labels of letters and messages ("RE:", "To:"): what follows is as often a subject as a person.
WEAK_LABELS = frozenset(words("re attn to from cc by"))
RELATION_SET = frozenset(RELATIONS)
ROLE_SET = frozenset(ROLES)
CUE_WORDS = TITLE_SET | RELATION_SET | ROLE_SET
VOWEL = re.compile(r"[aeiouy]")
# Right after these, a word that is no vocabulary is a name even in lower-case dictation.
NAMING_WORD_JUST_BEFORE = re.compile(r"\b(?:name|named|" + "|".join(RELATIONS) + r")[ \t]+$")
RELATION_LABEL_BEFORE = re.compile(r"\b(?:" + "|".join(RELATIONS) + r")[ \t]*[:-][ \t]*$")
# "Maria Lopez (sister)": a relation in brackets right after a name.
RELATION_IN_PARENS = re.compile(
    r"\((?:" + "|".join(RELATIONS) + r")(?:,[^)\n]{0,30})?\)"
    r"|\((?:" + "|".join(r for r in ROLES if len(r) > 3) + r")\b"  # "P. Vandersloot (Paramedic,"
)
SKIPPABLE_AFTER_CUE = frozenset(
    [
        *words("his her their the pt's patient's baby girl boy is named name"),
        *RELATIONS,
        *TITLES,
    ]
)
VERB_CUES = re.compile(
    r"(?:seen\s+with|accompanied\s+by|signed\s+by|reviewed\s+by|discussed\s+with|"
    r"spoke\s+(?:with|to)|d/w|s/w|brought\s+in\s+by|dictated\s+by|transcribed\s+by|examined\s+by|"
    r"evaluated\s+by|performed\s+by|seen\s+by|attended\s+by|cared\s+for\s+by|counseled\s+by|"
    r"counseling\s+by|written\s+by|prescribed\s+by|referred\s+by|consented\s+by|"
    r"interpreted\s+by|verified\s+by|co-?signed\s+by|named|care\s+of|goes\s+by|"
    r"(?:lives|living|stays|staying)\s+with|"
    r"(?:known|knows\s+(?:him|her|them)|knows)\s+(?:only\s+)?as|"
    r"calls?\s+(?:him|her|them)(?=\s+[\"'\u201c\u2018])|"
    r"(?:baby|infant)\s+(?:boy|girl)(?=\s+[\"'\u201c\u2018])|"
    r"nicknamed|prefers\s+to\s+be\s+called|prefers(?=\s+[\"'\u201c\u2018])|aka|"
    # "baby boy of Amara Osei", "son of Ann Lee": the parent or relative is named after "of"
    r"(?:baby|infant)\s+(?:boy|girl)\s+of|(?:infant|child|son|daughter)\s+of)"
    r"(?:[ \t]*:)?\s+"  # "Goes by: Sunny" as forms write it
)
BRACKETED_NICKNAME = re.compile(
    "[ \t]*\\([ \t]*[\"'\u201c\u2018]([A-Za-z][a-z]+)[\"'\u201d\u2019][ \t]*\\)"
)
# HL7 (PID-5 "NGUYEN^THI^HONG^^MS") and DICOM (PatientName "SANTOS^MARIA DA CONCEICAO")
# write a name as components joined by carets, family name first.
CARET_NAME = re.compile(  # bounded repeats: linear on hostile input
    r"(?<![\w^])([A-Za-z][A-Za-z'\-]{1,40}+(?: [A-Za-z][A-Za-z'\-]{1,40}+){0,3})\^"
    r"([A-Za-z][A-Za-z'\-]{1,40}+(?:[ ^]{1,4}+[A-Za-z][A-Za-z'\-]{0,40}+){0,6})"
)
DOT_LEADER = re.compile(r"(?<=\w)[ \t]*\.{3,}[ \t]*(?=\S)")
TRAILING_INITIAL = re.compile(r"(?:[ \t]+[A-Z])?\.(?=[ \t]*\()")
BRACKETED_WORD = re.compile(r"[ \t]*\([ \t]*([A-Z][a-z]+)[ \t]*\)")
QUOTED_WORD = re.compile('[ \t]+["\u201c]([A-Za-z][A-Za-z]+)["\u201d][ \t]+')
# Verbs after which a name is certain, even an ordinary word: "goes by Bill", "aka Sunny".
ALIAS_VERBS = re.compile(
    r"goes\s+by|known\s+as|knows\s|calls?\s|(?:baby|infant)\s+(?:boy|girl)\s+[^o]|nicknamed|"
    r"prefers|aka\b"
)
# The first words of VERB_CUES: the pattern is tried only where one of them starts.
VERB_CUE_FIRST_WORDS = frozenset(
    words(
        "seen accompanied signed reviewed discussed spoke d s brought dictated transcribed "
        "examined "
        "evaluated performed attended cared counseled counseling written prescribed referred "
        "consented interpreted verified co-signed cosigned co named care goes known nicknamed "
        "prefers aka baby infant child son daughter knows call calls lives living stays staying"
    )
)
CUE_OR_VERB_WORDS = CUE_WORDS | VERB_CUE_FIRST_WORDS
# A line that is only a sign-off, after which the signer's name starts the next line.
SIGN_OFF_LINES = frozenset(
    [
        *words("sincerely regards respectfully cordially thanks signed"),
        *("best regards", "kind regards", "thank you", "electronically signed"),
        "electronically signed by",
    ]
)
SIGNATURE_DASH = re.compile(r"[ \t]*(?:\u2014|\u2013|--|~)[ \t]*")
CREDENTIALS_PLAIN = (
    "MD|M\\.D\\.|NP|PA-C|RN|LPN|LVN|CNA|LCSW|LMSW|LICSW|MSW|CNM|CRNA|APRN|FNP|FNP-BC|FNP-C|"
    "AGNP|ANP|ACNP|DNP|PhD|PsyD|EdD|DDS|DMD|DPM|DPT|OTR|OTR/L|SLP|CCC-SLP|RPh|PharmD|RDN|CDE|"
    "CDCES|LPC|LMFT|LMHC|LCPC|BCBA|MBBS|MBChB|FACP|FACS|FAAP|FACC|MPH|EMT-P|RRT|CMA|PMHNP|ARNP|"
    "RDMS|RDCS|RVT|CNMT|ARRT|CPhT|MLS|NRP|EMT-B|EMT-A|AEMT|NREMT|CCRN|CEN|FP-C|CCP-C|CPNP|AuD|CCC-A"
)
CREDENTIALS_AFTER_COMMA = "DO|D\\.O\\.|PA|MS|MA|PT|OT|RT|DC|OD|LD|RD|CNS|EMT|BSN|MSN"
CREDENTIAL = re.compile(rf"(?:{CREDENTIALS_PLAIN}|{CREDENTIALS_AFTER_COMMA})(?![\w-])")
CREDENTIALS_PLAIN_SET = frozenset(CREDENTIALS_PLAIN.replace("\\", "").split("|"))
CREDENTIAL_SET = CREDENTIALS_PLAIN_SET | frozenset(CREDENTIALS_AFTER_COMMA.split("|"))
# The first word of each credential, lower-cased ("m" for "M.D.", "ccc" for "CCC-SLP").
CREDENTIAL_WORDS = frozenset(
    re.split(r"[^A-Za-z]", credential, maxsplit=1)[0].lower()
    for credential in f"{CREDENTIALS_PLAIN}|{CREDENTIALS_AFTER_COMMA}".split("|")
)
DISEASE_NOUNS = frozenset(words("disease syndrome palsy sign"))
# A score's value after its name ("Aldrete 10", "Apgar 8/9"), or a classification ("Forrest IIa").
ROMAN_CLASS = re.compile(r"[IV]{1,4}[a-c]")
SCORE_AFTER = re.compile(r"[ \t]+(?:\d{1,2}(?!\d|,\d)|[IV]{1,4}[a-c]\b)")
PLACE_NOUNS = frozenset(words("city county parish borough township"))
DOSE_AFTER = re.compile(
    r"(?i)[ \t]*(?:\d+(?:\.\d+)?[ \t-]*(?:mg|mcg|g|ml|oz|units?|%|tabs?|puffs?)\b|\d+\.\d+\b|"
    r"xr\b|er\b|sr\b|hfa\b|\(\w+\))"
)
# State and month names ("Virginia", "Jan", "June") are names too, but alone they are places
# and dates: only a cue makes them a name.
STATE_WORDS = frozenset(fold(word) for word in re.split(r"[| ]", STATE_NAMES))
MONTH_WORDS = frozenset(
    words(
        "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april "
        "june july august september october november december"
    )
)
CAP_SEPARATORS = frozenset((" ", "\t"))
# Verbs whose subject is a person though they end in neither -s nor -ed ("June fell").
PERSON_VERBS = frozenset(words("is was has had and fell fell felt said says went came got"))
# Verbs only a person is the subject of in a note: an unknown capitalized word before one is a
# name ("Xio reports", "Tadeusz endorses"), where a drug or a payer never stands.
REPORTING_VERBS = frozenset(
    words(
        "reports reported states stated endorses endorsed says said complains complained admits "
        "admitted verbalizes verbalized understands understood explains explained describes "
        "described tells told recalls recalled"
    )
)
# "Faith may call the nurse line": after the name of someone in the note, a modal verb.
MODALS = frozenset(words("may might can could will would should must"))
PARTICLES = frozenset(
    words(
        "van von der den ter ten de del della dos das do da di du la le los las bin ibn al el ben "
        "st mac y"
    )
)
DOTTED_PARTICLES = frozenset(("st", "ste"))
INITIAL_GAPS = frozenset((". ", ".", ".\t"))  # after "J" or "St": "J. Smith", "St.Clair"


# Quotes around a nickname inside a name: 'Margarethe "Greta" Holloway'.
OPEN_QUOTES = frozenset("\"'\u201c\u2018")
CLOSE_QUOTES = frozenset("\"'\u201d\u2019")
# Generational suffixes belong to the name before them: "Tyrell Washington III", "Ray Cole Jr."
SUFFIXES = frozenset(words("jr sr ii iii iv"))
# Words after a dictated name that is no vocabulary: "her husband keoni was present".
AFTER_A_NAME = frozenset(
    words("who was is and has had will says said called drove brought lives helps came interprets")
    + words("translates translated")
)
# Labels of one part of a name on a form: "FIRST ........ CHIDINMA", "Middle: Adaeze".
NAME_PART_LABELS = frozenset(words("first middle last given surname family maiden"))
ALIAS_LABELS = frozenset(words("preferred nickname alias aka"))
# Abbreviations a dictation spells as a word: three consonants first ("nstemi") or four in a
# row ("hfref", "cabg" is too short to ask).
DICTATED_ABBREVIATION = re.compile(r"[^aeiouy]{3}|.*[^aeiouy]{4}")
# The credentials a dictation writes in lower case: they end a name, never belong to one. Some
# are no word in any sentence and may follow the name after a space ("marcus feldstein dpm").
DICTATED_CREDENTIALS = frozenset(
    words("md np rn lpn lcsw lmsw licsw msw cnm cpnp crna aprn fnp dnp phd psyd pharmd rph lpc")
    + words("lmft lmhc dds dmd dpm dpt slp rdn pmhnp pa-c")
)
SPACED_CREDENTIALS = frozenset(
    words("md rn np cnm cpnp dpm lcsw pa-c crna aprn fnp lpn dnp lmsw licsw msw lmft lmhc pmhnp")
)
# What follows a dictated name: "dolores ybarra date of birth ...", "..., mrn 5830".
NAME_IDENTIFIER_WORDS = {
    "date": "date of birth",
    "dob": "dob",
    "medical": "medical record",
    "mrn": "mrn",
    "room": "room",  # "resident eulalia fonoti-tuiasosopo, room 214b"
    "goes": "goes by",  # "visit for wilhelmina van der berg, goes by billie"
}
DICTATED_NAME_ENDERS = DICTATED_CREDENTIALS | frozenset(NAME_IDENTIFIER_WORDS) | {"p"}
# Words a dictated name often follows, too common to announce one alone: a given name and a
# surname that is no vocabulary must follow ("visit for harold mcpherson").
WEAK_NAME_CUES = frozenset(words("for with seeing and is"))
# A name spelled out letter by letter: "last name spelled a-n-z-a-l-d-u-a".
SPELLED_NAME = re.compile(r"spelled[ \t]+(?:out[ \t]+)?(?:as[ \t]+)?((?:[a-z]-){2,}[a-z])(?![\w-])")
# The end of a table's cell: a tab, a pipe, a line's end, a wide gap, or " / " before a number.
CELL_END = re.compile(r"\t|\||\n|$|  | / ")
# A sign-off inside a message, then the writer's name: "... after 5. thanks, shawn"
INLINE_SIGN_OFF = frozenset(words("thanks thx regards sincerely cheers"))
SIGNATURE_END = re.compile(r"[ \t]*(?:[.!\"\u201d]|$|\n)")
# A form's label at the start of a line and a tab before its value: "Patient\tBegay, Nizhoni".
TAB_LABEL = re.compile(r"(?m)^[ \t]*(?P<label>[A-Za-z][A-Za-z /'-]{1,30}?)\t+(?=\S)")
