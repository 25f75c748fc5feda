"""A location shared on Telegram: parsed safely and used to order services by distance."""

from __future__ import annotations

import pytest

from bot.catalogue.distance import haversine_km, parse_coordinates

CREMONA_TOWN_HALL = (45.1334, 10.0243)
MILAN_CATHEDRAL = (45.4642, 9.1900)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("45.133,10.024", (45.133, 10.024)),
        ("-33.9,18.4", (-33.9, 18.4)),
        ("", None),
        (None, None),
        ("45.1", None),
        ("45.1,10.0,3", None),
        ("north,east", None),
        ("91,10", None),
        ("45,181", None),
    ],
)
def test_coordinates_from_the_slot(raw: str | None, parsed: tuple[float, float] | None) -> None:
    assert parse_coordinates(raw) == parsed


def test_great_circle_distance() -> None:
    assert haversine_km(CREMONA_TOWN_HALL, CREMONA_TOWN_HALL) == 0
    assert 72 < haversine_km(CREMONA_TOWN_HALL, MILAN_CATHEDRAL) < 76
    assert haversine_km(CREMONA_TOWN_HALL, MILAN_CATHEDRAL) == pytest.approx(
        haversine_km(MILAN_CATHEDRAL, CREMONA_TOWN_HALL)
    )
