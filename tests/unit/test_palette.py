"""The status colours stay apart for colour-blind readers, and the theme's text meets WCAG contrast.

Colour-vision deficiency is simulated with the matrices of Machado, Oliveira & Fernandes (2009),
"A Physiologically-based Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), at
severity 1.0 (dichromacy), applied to linear sRGB. Differences are CIEDE2000 (ΔE00) in CIELAB (D65);
the implementation is checked against pairs from Sharma, Wu & Dalal (2005). A ΔE00 of about 2 is
just noticeable side by side; 10 and more reads as a different colour in a chart legend.
"""

from __future__ import annotations

import itertools
import math
import tomllib

import numpy as np
import pytest

from gcm.charts import NOT_REPORTED_COLOR
from gcm.config import ROOT
from gcm.explore.map_chart import NOT_REPORTED_COLOR as MAP_NOT_REPORTED_COLOR
from gcm.reference import load_reference
from gcm.ui.style import FOCUS_COLOR

MACHADO_2009 = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
D65 = (0.95047, 1.0, 1.08883)
# Streamlit draws captions, help texts and the sidebar's caption in the theme's textColor at 60 % opacity.
FADED_TEXT_ALPHA = 0.6
STREAMLIT_LIGHT_BACKGROUNDS = {"main": "#ffffff", "sidebar": "#f8f8f7", "widget": "#f1f0ee"}


def linear_rgb(color: str) -> np.ndarray:
    channels = np.array([int(color.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def lab(linear: np.ndarray) -> tuple[float, float, float]:
    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(float(v) / n) for v, n in zip(SRGB_TO_XYZ @ linear, D65, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def seen(color: str, vision: str) -> tuple[float, float, float]:
    """CIELAB of `color` as seen with `vision` (a Machado 2009 simulation, or 'greyscale' for luminance only)."""
    if vision == "greyscale":
        luminance = float(SRGB_TO_XYZ[1] @ linear_rgb(color))
        return lab(np.array([luminance] * 3))
    return lab(np.clip(MACHADO_2009[vision] @ linear_rgb(color), 0, 1))


def delta_e2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005, with kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    if c1p * c2p == 0:
        dh, h_mean = 0.0, h1p + h2p
    else:
        dh = h2p - h1p if abs(h2p - h1p) <= 180 else h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
        h_mean = (h1p + h2p) / 2 if abs(h1p - h2p) <= 180 else (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def contrast(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio."""
    high, low = sorted((float(SRGB_TO_XYZ[1] @ linear_rgb(c)) for c in (foreground, background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def blend(foreground: str, background: str, alpha: float) -> str:
    channels = (
        round(alpha * int(foreground[i : i + 2], 16) + (1 - alpha) * int(background[i : i + 2], 16)) for i in (1, 3, 5)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


STATUS_COLORS = {s.key: s.color for s in load_reference(ROOT / "data").statuses}
THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),  # Sharma et al. 2005, pair 1
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),  # pair 7
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),  # pair 17
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),  # pair 34
    ],
)
def test_delta_e2000_matches_the_published_test_data(lab1, lab2, expected) -> None:
    assert delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_the_scale_is_the_five_viridis_stops() -> None:
    assert list(STATUS_COLORS.values()) == ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"]


@pytest.mark.parametrize("vision", ["normal", "protanopia", "deuteranopia", "tritanopia"])
def test_every_status_and_not_reported_stay_apart(vision: str) -> None:
    colors = {**STATUS_COLORS, "not_reported": NOT_REPORTED_COLOR}
    closest = min(
        (delta_e2000(seen(colors[a], vision), seen(colors[b], vision)), a, b)
        for a, b in itertools.combinations(colors, 2)
    )
    # Measured minima: normal 24.6, protanopia 13.3, deuteranopia 13.8, tritanopia 14.6 (ΔE00).
    assert closest[0] >= 12, closest
    to_grey = min(delta_e2000(seen(c, vision), seen(NOT_REPORTED_COLOR, vision)) for c in STATUS_COLORS.values())
    # "Not reported" (#cccccc) against the nearest status: 27.6, 19.4, 21.9, 15.5.
    assert to_grey >= 15, (vision, to_grey)


def test_not_reported_differs_from_every_status_even_in_greyscale() -> None:
    """Lightness alone (a greyscale print, achromatopsia): the old #e6e6e6 was 0.3 from 'no action yet'."""
    lightness = {key: seen(color, "greyscale")[0] for key, color in STATUS_COLORS.items()}
    grey = seen(NOT_REPORTED_COLOR, "greyscale")
    assert min(delta_e2000(grey, seen(c, "greyscale")) for c in STATUS_COLORS.values()) >= 5.5
    # The scale reads in order from light (no action yet) to dark (fully implemented), in even steps.
    steps = [a - b for a, b in itertools.pairwise(lightness.values())]
    assert all(step >= 15 for step in steps), steps


@pytest.mark.parametrize("vision", ["protanopia", "deuteranopia"])
def test_the_map_grey_stays_apart_from_every_status(vision: str) -> None:
    to_grey = min(delta_e2000(seen(c, vision), seen(MAP_NOT_REPORTED_COLOR, vision)) for c in STATUS_COLORS.values())
    assert to_grey >= 12, (vision, to_grey)


@pytest.mark.parametrize("color", [*STATUS_COLORS.values(), NOT_REPORTED_COLOR])
def test_every_status_colour_carries_black_or_white_text_at_4_5_to_1(color: str) -> None:
    assert max(contrast("#000000", color), contrast("#ffffff", color)) >= 4.5


@pytest.mark.parametrize("surface", sorted(STREAMLIT_LIGHT_BACKGROUNDS))
def test_theme_text_and_captions_meet_4_5_to_1(surface: str) -> None:
    background = STREAMLIT_LIGHT_BACKGROUNDS[surface]
    caption = blend(THEME["textColor"], background, FADED_TEXT_ALPHA)
    # Measured: captions 5.1:1 on white, 5.0:1 on the sidebar, 4.9:1 on widgets (were 3.9, 3.8, 3.7).
    assert contrast(caption, background) >= 4.5, (surface, caption)
    assert contrast(THEME["textColor"], background) >= 7
    assert contrast(THEME["primaryColor"], background) >= 4.5  # links and primary buttons' text


@pytest.mark.parametrize("surface", sorted(STREAMLIT_LIGHT_BACKGROUNDS))
def test_the_focus_ring_stands_out(surface: str) -> None:
    assert contrast(FOCUS_COLOR, STREAMLIT_LIGHT_BACKGROUNDS[surface]) >= 3  # WCAG 1.4.11, non-text contrast
