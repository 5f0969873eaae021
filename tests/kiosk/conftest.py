"""A flow over the in-memory world, on a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.workflows.memory_services import MemoryServices

TODAY = date(2026, 11, 23)
KNOWN_PHONE = "+33698765432"


@pytest.fixture
def world() -> MemoryServices:
    return MemoryServices(TODAY, known_phone=KNOWN_PHONE)


@pytest.fixture
def clock() -> list[float]:
    """Seconds since the epoch, moved by the tests."""
    return [1_000_000.0]


@pytest.fixture
def flow(world: MemoryServices, clock: list[float]) -> Flow:
    return Flow(JOURNEYS, world, today=lambda: TODAY, clock=lambda: clock[0])
