"""Which allocations belong on the klantmanager's worklist and which on a list of their own
(#16 item 1)."""

from __future__ import annotations

import numpy as np

# What a klantmanager cannot step down on their own: Participatiewet income support and the
# youth measures a court orders (JZ020 47 jeugdreclassering, 48 jeugdbescherming). They are
# off the default worklist and make up a list of their own (scope SEPARATE).
STANDARD_SCOPE = "standaard"
SEPARATE_SCOPE = "apart"
SCOPES = (STANDARD_SCOPE, SEPARATE_SCOPE)
SEPARATE_LAWS = frozenset({"participatie"})
COURT_ORDERED = frozenset({("jeugd", "47"), ("jeugd", "48")})
SCOPE_TEXTS = {
    STANDARD_SCOPE: "toewijzingen waarover de klantmanager beslist; zonder "
                    "Participatiewet-uitkeringen, jeugdreclassering (47) en jeugdbescherming "
                    "(48)",
    SEPARATE_SCOPE: "alleen Participatiewet-uitkeringen, jeugdreclassering (47) en "
                    "jeugdbescherming (48): apart te beoordelen, niet door de klantmanager "
                    "af te schalen",
}


def separate_review(law: np.ndarray, category: np.ndarray) -> np.ndarray:
    """True for allocations that belong on the separate list, not the klantmanager's."""
    laws = law.astype(object)
    cats = category.astype(object)
    court = np.zeros(len(laws), dtype=bool)
    for c_law, c_cat in COURT_ORDERED:
        court |= (laws == c_law) & (cats == c_cat)
    return np.isin(laws, list(SEPARATE_LAWS)) | court
