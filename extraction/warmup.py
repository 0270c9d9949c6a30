"""Load the large tables once when a web process starts, not on its first request."""

import gc
import logging
import time

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """ICD-10-CM code set, the rule engine's data (with the tabular description index) and
    the scrubber's name lexicon."""
    from extraction import icd10
    from extraction.engines.rules import RulesEngine, icd10_match
    from extraction.parameters import ExtractionParameters
    from extraction.phi import scrub_note

    started = time.perf_counter()
    icd10.is_code("E11.9")
    icd10_match.description_index()  # the tabular fallback's index (about half a second)
    note = "Patient: Jane Doe. A/P: essential hypertension. Total time spent 20 minutes."
    RulesEngine().extract(note=scrub_note(note).scrubbed_note, parameters=ExtractionParameters())
    # The tables (word lists of about 800,000 entries) live as long as the process. Frozen,
    # they leave the collector's generations: a full collection during a request no longer
    # walks them (60-100 ms each time), and forked workers keep sharing their pages.
    # https://docs.python.org/3/library/gc.html#gc.freeze
    gc.collect()
    gc.freeze()
    logger.info("extraction tables loaded in %.1f s", time.perf_counter() - started)
