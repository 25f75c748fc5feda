"""Distances between a person and service locations (great-circle, in kilometres)."""

from __future__ import annotations

import math

from bot.catalogue.models import Service

EARTH_RADIUS_KM = 6371.0088


def parse_coordinates(raw: str | None) -> tuple[float, float] | None:
    """'45.13,10.02' -> (45.13, 10.02); None when absent or not valid coordinates."""
    if not raw:
        return None
    try:
        latitude, longitude = (float(part) for part in str(raw).split(","))
    except ValueError:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def service_distance_km(service: Service, origin: tuple[float, float]) -> float | None:
    """Distance to the nearest location of a service that has coordinates."""
    distances = [
        haversine_km(origin, (link.location.latitude, link.location.longitude))
        for link in service.locations
        if link.location.latitude is not None and link.location.longitude is not None
    ]
    return min(distances) if distances else None


def nearest_first(
    services: list[Service], origin: tuple[float, float]
) -> list[tuple[Service, float | None]]:
    """Services with their distance, nearest first (those without coordinates last)."""
    measured = [(service, service_distance_km(service, origin)) for service in services]
    return sorted(measured, key=lambda item: (item[1] is None, item[1] or 0.0))
