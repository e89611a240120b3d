"""The per-pulse analysis of src/analysis.ts, written the way a numpy user would: baseline medians,
loss integrals above baseline, the intensity peak (argmin of R5IM), survival, the hottest BLM (argmax),
and dead channels left out. Same windows and rules as the TypeScript; results agree to rounding."""
import math

import numpy as np

ROWS, SAMPLES = 40, 2200
T_START_MS, T_END_MS = -0.5, 10.5
DT_MS = (T_END_MS - T_START_MS) / (SAMPLES - 1)
BLM_COUNT, INTENSITY_ROW = 39, 39
TIME_MS = np.linspace(T_START_MS, T_END_MS, SAMPLES)
CHANNELS = ["R0BLM1", "R0BLM3", "R0BLM4"] + [f"R{sp}BLM{b}" for sp in range(1, 10) for b in range(1, 5)] + ["R5IM"]
STUCK_SPREAD_V = 1e-6
SATURATED_V = 4.99


def sample_at(t_ms):
    i = math.floor((t_ms - T_START_MS) / DT_MS + 0.5)  # JavaScript's Math.round
    return min(SAMPLES - 1, max(0, i))


BASELINE = slice(sample_at(-0.5), sample_at(-0.38) + 1)
LOSS = slice(sample_at(-0.37), sample_at(9.9) + 1)
BEFORE_EXTRACTION = slice(sample_at(9.5), sample_at(9.9) + 1)


def analyse_pulse(a):
    """a: the (40, 2200) float64 array of one pulse."""
    finite = np.isfinite(a)
    n_finite = finite.sum(axis=1)
    non_finite = a.size - int(n_finite.sum())
    if non_finite:
        lo = np.where(finite, a, np.inf).min(axis=1)
        hi = np.where(finite, a, -np.inf).max(axis=1)
        clean = np.where(finite, a, np.nan)
        baseline = np.nanmedian(clean[:, BASELINE], axis=1)
    else:
        lo = a.min(axis=1)
        hi = a.max(axis=1)
        clean = a
        baseline = np.median(a[:, BASELINE], axis=1)
    dead = (n_finite == 0) | (hi - lo < STUCK_SPREAD_V)
    for row in np.flatnonzero((lo <= -SATURATED_V) | (hi >= SATURATED_V)):
        if abs(np.median(a[row][finite[row]])) >= SATURATED_V:
            dead[row] = True

    intensity = np.where(finite[INTENSITY_ROW], a[INTENSITY_ROW], np.inf) if non_finite else a[INTENSITY_ROW]
    peak_index = int(np.argmin(intensity))
    peak = float(a[INTENSITY_ROW, peak_index])
    window = a[INTENSITY_ROW, BEFORE_EXTRACTION]
    before = float(window[np.isfinite(window)].mean()) if non_finite else float(window.mean())
    height = peak - baseline[INTENSITY_ROW]
    survival = (before - baseline[INTENSITY_ROW]) / height if height < 0 else math.nan

    above = clean[:BLM_COUNT, LOSS] - baseline[:BLM_COUNT, None]
    integrals = (np.nansum(above, axis=1) if non_finite else above.sum(axis=1)) * DT_MS
    peaks = hi[:BLM_COUNT] - baseline[:BLM_COUNT]
    dead_blm = dead[:BLM_COUNT]
    integrals[dead_blm] = np.nan
    peaks[dead_blm] = np.nan
    live = np.flatnonzero(~dead_blm)
    hottest = int(live[np.argmax(integrals[live])]) if live.size else -1
    return {
        "intensity_peak_v": peak,
        "intensity_peak_ms": float(TIME_MS[peak_index]),
        "survival": survival,
        "loss_integral_vms": integrals,
        "loss_peak_v": peaks,
        "hottest_blm": CHANNELS[hottest] if hottest >= 0 else "none",
        "hottest_blm_integral_vms": float(integrals[hottest]) if hottest >= 0 else math.nan,
        "dead_channels": [CHANNELS[r] for r in np.flatnonzero(dead)],
        "non_finite_samples": non_finite,
    }
