"""X12 270 eligibility requests and 271 responses (ASC X12 005010X279A1).

Reading and writing segments is pyx12's job (``pyx12.x12file.X12Reader``/``X12Writer``): it
finds the delimiters in the ISA header, splits elements, and writes the SE/GE/IEA trailers with
their counts. pyx12's map-driven validator has no 5010 maps and x12sdk 2.2 rejects common real
271s (``EB09=VS`` visit limits, subscriber-level ``AAA``: integrations.md §7.2), so the loop
semantics we need (HL levels, EB/MSG/AAA, LS/LE related entities) are read here, on top of
pyx12's raw segment reader.

Segment meanings: integrations.md §7.1 and stedi.com/edi/x12-005010/segment/EB.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import pyx12.errors
import pyx12.segment
import pyx12.x12file

SEGMENT_TERMINATOR = "~"
ELEMENT_SEPARATOR = "*"
SUBELEMENT_SEPARATOR = ":"
REPETITION_SEPARATOR = "^"
IMPLEMENTATION = "005010X279A1"
_NOT_ALLOWED = re.compile(r"[~*:^\\|\r\n\t]")

# HL03 hierarchical level codes.
HL_LEVELS = {"20": "payer", "21": "provider", "22": "subscriber", "23": "dependent"}


class MalformedX12(Exception):
    """The text is not a readable 271."""


def clean(value: str, max_length: int) -> str:
    """An element value: upper-case, no delimiters (they would split or end the segment)."""
    return _NOT_ALLOWED.sub("", value or "").strip().upper()[:max_length]


def split_name(full_name: str) -> tuple[str, str]:
    """(last, first) from "First Last" or "Last, First"."""
    if "," in full_name:
        last, _, first = full_name.partition(",")
    else:
        first, _, last = full_name.strip().rpartition(" ")
    return clean(last or first, 60), clean(first if last else "", 35)


@dataclass(frozen=True)
class Envelope:
    submitter_id: str
    receiver_id: str
    control_number: int
    usage_indicator: str
    created: datetime


@dataclass(frozen=True)
class EligibilityRequest:
    """What a 270 asks, with the patient's identifiers (PHI: never log this)."""

    trace_number: str
    payer_name: str
    payer_id: str
    provider_name: str
    npi: str
    tax_id: str
    patient_name: str
    member_id: str
    group_id: str
    date_of_birth: date
    service_date: date
    service_types: tuple[str, ...]


def build_270(request: EligibilityRequest, *, envelope: Envelope) -> str:
    """A complete 270 interchange, trailers and counts written by pyx12's X12Writer."""
    created = envelope.created
    control = f"{envelope.control_number % 1_000_000_000:09d}"
    last, first = split_name(request.patient_name)
    segments = [
        [
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            "ZZ",
            clean(envelope.submitter_id, 15).ljust(15),
            "ZZ",
            clean(envelope.receiver_id, 15).ljust(15),
            created.strftime("%y%m%d"),
            created.strftime("%H%M"),
            REPETITION_SEPARATOR,
            "00501",
            control,
            "0",
            envelope.usage_indicator,
            SUBELEMENT_SEPARATOR,
        ],
        [
            "GS",
            "HS",
            clean(envelope.submitter_id, 15),
            clean(envelope.receiver_id, 15),
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
            str(envelope.control_number % 1_000_000_000),
            "X",
            IMPLEMENTATION,
        ],
        ["ST", "270", "0001", IMPLEMENTATION],
        [
            "BHT",
            "0022",
            "13",
            clean(request.trace_number, 50),
            created.strftime("%Y%m%d"),
            created.strftime("%H%M"),
        ],
        ["HL", "1", "", "20", "1"],
        [
            "NM1",
            "PR",
            "2",
            clean(request.payer_name, 60),
            "",
            "",
            "",
            "",
            "PI",
            clean(request.payer_id, 80),
        ],
        ["HL", "2", "1", "21", "1"],
        [
            "NM1",
            "1P",
            "2",
            clean(request.provider_name, 60),
            "",
            "",
            "",
            "",
            "XX",
            clean(request.npi, 10),
        ],
    ]
    if request.tax_id:
        segments.append(["REF", "TJ", clean(request.tax_id, 9)])
    segments += [
        ["HL", "3", "2", "22", "0"],
        # TRN03: "1" + the EIN identifies who originated the trace.
        ["TRN", "1", clean(request.trace_number, 50), "1" + (clean(request.tax_id, 9) or "0" * 9)],
        ["NM1", "IL", "1", last, first, "", "", "", "MI", clean(request.member_id, 80)],
    ]
    if request.group_id:
        segments.append(["REF", "6P", clean(request.group_id, 50)])
    segments += [
        ["DMG", "D8", request.date_of_birth.strftime("%Y%m%d")],
        ["DTP", "291", "D8", request.service_date.strftime("%Y%m%d")],
    ]
    segments += [["EQ", service_type] for service_type in request.service_types]
    segments.append(["IEA", "1", control])  # the writer closes SE and GE on its way there

    out = io.StringIO()
    writer = pyx12.x12file.X12Writer(
        out,
        seg_term=SEGMENT_TERMINATOR,
        ele_term=ELEMENT_SEPARATOR,
        subele_term=SUBELEMENT_SEPARATOR,
        eol="\n",
        repetition_term=REPETITION_SEPARATOR,
    )
    for elements in segments:
        writer.Write(
            pyx12.segment.Segment(
                ELEMENT_SEPARATOR.join(elements),
                SEGMENT_TERMINATOR,
                ELEMENT_SEPARATOR,
                SUBELEMENT_SEPARATOR,
            )
        )
    writer.close()
    return out.getvalue()


@dataclass
class Benefit:
    """One EB segment with the MSG text and related entity (LS/LE NM1) that follow it."""

    code: str
    coverage_level: str
    service_types: tuple[str, ...]
    insurance_type: str
    description: str
    period: str
    amount: str
    percent: str
    quantity_qualifier: str
    quantity: str
    auth_required: str
    in_network: str
    level: str
    messages: list[str] = field(default_factory=list)
    related_entities: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rejection:
    """An AAA segment: AAA03 reject reason, AAA04 follow-up action, at which HL level."""

    reason: str
    follow_up: str
    level: str


@dataclass
class Response271:
    benefits: list[Benefit] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    dates: dict[str, str] = field(default_factory=dict)
    payer_trace: str = ""
    our_trace: str = ""


def _value(segment: pyx12.segment.Segment, position: int) -> str:
    return segment.get_value(f"{segment.get_seg_id()}{position:02d}") or ""


def parse_271(text: str) -> Response271:
    """Read a 271 with pyx12's raw reader and collect what eligibility results need.

    Raises :class:`MalformedX12` when the text is not an X12 interchange holding a 271.
    """
    try:
        reader = pyx12.x12file.X12Reader(io.StringIO(text.strip()))
        segments = list(reader)
    except (pyx12.errors.X12Error, pyx12.errors.EngineError, IndexError, ValueError) as exc:
        raise MalformedX12(type(exc).__name__) from exc
    repetition = reader.repetition_term or REPETITION_SEPARATOR

    response = Response271()
    level = ""
    last_benefit: Benefit | None = None
    in_related_entity = False
    saw_271 = False
    for segment in segments:
        seg_id = segment.get_seg_id()
        if seg_id == "ST":
            saw_271 = _value(segment, 1) == "271"
        elif seg_id == "HL":
            level = HL_LEVELS.get(_value(segment, 3), "")
            last_benefit = None
        elif seg_id == "TRN":
            # TRN*2 echoes our trace; TRN*1 is the payer's own reference.
            target = "payer_trace" if _value(segment, 1) == "1" else "our_trace"
            setattr(response, target, _value(segment, 2))
        elif seg_id == "AAA":
            response.rejections.append(
                Rejection(reason=_value(segment, 3), follow_up=_value(segment, 4), level=level)
            )
        elif seg_id == "DTP" and last_benefit is None:
            response.dates[_value(segment, 1)] = _value(segment, 3)
        elif seg_id == "EB":
            last_benefit = Benefit(
                code=_value(segment, 1),
                coverage_level=_value(segment, 2),
                service_types=tuple(item for item in _value(segment, 3).split(repetition) if item),
                insurance_type=_value(segment, 4),
                description=_value(segment, 5),
                period=_value(segment, 6),
                amount=_value(segment, 7),
                percent=_value(segment, 8),
                quantity_qualifier=_value(segment, 9),
                quantity=_value(segment, 10),
                auth_required=_value(segment, 11),
                in_network=_value(segment, 12),
                level=level,
            )
            response.benefits.append(last_benefit)
        elif seg_id == "MSG" and last_benefit is not None:
            last_benefit.messages.append(_value(segment, 1))
        elif seg_id == "LS":
            in_related_entity = True
        elif seg_id == "LE":
            in_related_entity = False
        elif seg_id == "NM1" and in_related_entity and last_benefit is not None:
            last_benefit.related_entities.append(_value(segment, 3))
    if not saw_271:
        raise MalformedX12("no 271 transaction set")
    return response
