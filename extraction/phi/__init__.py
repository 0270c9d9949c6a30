"""PHI scrubber: HIPAA Safe Harbor de-identification of clinical notes (pure Python).

``scrub_note(note)`` returns the note with its identifiers replaced by readable placeholders
and the list of what was removed. No Django, no network, no note text in logs.
"""

from extraction.phi.redaction import Redaction, ScrubResult
from extraction.phi.scrubber import scrub_note

__all__ = ["Redaction", "ScrubResult", "scrub_note"]
