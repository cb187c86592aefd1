"""How sure a figure is: Wilson score intervals for response rates."""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959963984540054


def wilson(successes: pd.Series, trials: pd.Series, z: float = Z95) -> tuple[pd.Series, pd.Series]:
    """95% Wilson score interval of a proportion, vectorised (NaN where there are no trials).

    Written out rather than imported: it is five lines, and the libraries that have it
    (statsmodels, scipy) compute one interval per call.
    """
    n = trials.astype(float).replace(0, np.nan)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half).clip(lower=0), (centre + half).clip(upper=1)
