"""Journey step ids as kiosks send them ("booking.slot"): where a person is, never who.

The shape admits no free text, so nothing a person typed can slip into the counsellors'
lists or the statistics through a step.
"""

from __future__ import annotations

import re

from server.errors import invalid

_STEP = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")


def check_step(step: str, field: str = "step") -> str:
    if len(step) > 60 or not _STEP.fullmatch(step):
        raise invalid(field, "Étape du parcours : la valeur n'est pas valide.")
    return step
