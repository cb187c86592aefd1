"""A reason for every score change between two revisions of the data.

correction / re-audit: the company's own file changed (the kind of the correction entry it
added; a change with no new entry counts as a correction); methodology change: the edition
is scored with another methodology version; new data: the company or edition is new;
displaced: the company's own data did not change; its rank moved because other companies
changed, or (methodology v2) its shown score moved because the edition's pooled prior, which
is estimated from the other companies, moved with them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..values import is_missing
from . import Scores

KEYS = ["slug", "edition"]
# shown beside each change (v2: the interval, the rank range, the probes); NaN under v1
EVIDENCE = ["rank_overall", "score_low_display", "score_high_display", "probes"]


def label_changes(
    old: Scores, new: Scores, old_docs: dict[str, Any], new_docs: dict[str, Any]
) -> pd.DataFrame:
    """Every company/edition whose score, grade, tier or rank differs, with its reason.

    ``old_docs``/``new_docs`` map slug → the company's data at each revision.
    """
    # what readers see change: the rank is shown as the range the intervals allow (v2); under
    # v1 the range is the rank itself
    cols = ["score_display", "grade", "tier", "ranked", "rank_overall_low", "rank_overall_high"]
    shown = [*cols, *EVIDENCE]
    before = old.companies.set_index(KEYS).reindex(columns=shown)
    after = new.companies.set_index(KEYS).reindex(columns=shown)
    both = before.add_suffix("_old").join(after.add_suffix("_new"), how="outer")
    changed = pd.Series(False, index=both.index)
    for col in cols:  # null-safe: an unranked company's rank and grade are missing both times
        old_col, new_col = both[f"{col}_old"].astype(object), both[f"{col}_new"].astype(object)
        same = (old_col == new_col) | (old_col.isna() & new_col.isna())
        changed |= ~same.fillna(False).astype(bool)
    rows = both[changed].reset_index()
    old_method = dict(
        zip(old.tables.editions["edition"], old.tables.editions["methodology"], strict=True)
    )
    new_method = dict(
        zip(new.tables.editions["edition"], new.tables.editions["methodology"], strict=True)
    )
    reasons = []
    for slug, edition, score_old in zip(
        rows["slug"], rows["edition"], rows["score_display_old"], strict=True
    ):
        if is_missing(score_old) or edition not in old_method:
            reasons.append("new data")
        elif slug not in new_docs:
            reasons.append("removed")
        elif old_method.get(edition) != new_method.get(edition):
            reasons.append("methodology change")
        elif old_docs.get(slug) != new_docs.get(slug):
            added = new_docs[slug].get("corrections", [])[
                len(old_docs[slug].get("corrections", [])) :
            ]
            reasons.append(str(added[-1]["kind"]) if added else "correction")
        else:
            reasons.append("displaced")
    rows["reason"] = reasons
    return rows
