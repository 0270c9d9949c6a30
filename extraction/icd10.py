"""The official ICD-10-CM code set, through ``simple-icd-10-cm`` (CMS/CDC tabular data).

A *code* here is a category, subcategory or billable leaf: chapters and blocks (``A00-A09``)
are not codes. Only leaves are billable; a category with children (``E11``) is valid but
non-billable. Descriptors always come from this set, never from a model.
"""

import re
from functools import lru_cache

import simple_icd_10_cm as icd

_CODE_SHAPE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$")


def normalize(code: str) -> str:
    """Upper-case with the dot after the third character, as the code set prints it."""
    code = code.strip().upper().replace(" ", "")
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


@lru_cache(maxsize=4096)
def is_code(code: str) -> bool:
    """A real ICD-10-CM category or code (not a chapter or block, not invented)."""
    code = normalize(code)
    if not _CODE_SHAPE.match(code):
        return False
    return icd.is_valid_item(code) and not icd.is_chapter_or_block(code)


@lru_cache(maxsize=4096)
def is_billable(code: str) -> bool:
    """A leaf of the classification: the only codes a claim can carry."""
    code = normalize(code)
    return is_code(code) and icd.is_leaf(code)


def descriptor(code: str) -> str:
    return icd.get_description(normalize(code))
