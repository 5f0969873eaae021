"""The centre's statistics, without personal data: journeys started and completed, the step
where people give up most, the median time of a completed journey, by week."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.errors import invalid
from server.models import JourneyRun
from server.services.steps import check_step

LONGEST_RUN = 4 * 3600  # seconds; a longer run is a kiosk left on, not a person


def record(
    db: Session,
    kiosk_id: int,
    *,
    journey: str,
    completed: bool,
    last_step: str,
    seconds: int,
    day: date,
) -> JourneyRun:
    if not 0 <= seconds <= LONGEST_RUN:
        raise invalid("seconds", "Durée : la valeur n'est pas valide.")
    run = JourneyRun(
        kiosk_id=kiosk_id,
        journey=journey,
        completed=completed,
        last_step=check_step(last_step, "last_step"),
        seconds=seconds,
        day=day,
    )
    db.add(run)
    db.flush()
    return run


@dataclass(frozen=True)
class JourneyWeek:
    """One journey in one week (weeks start on Monday)."""

    week: date
    journey: str
    started: int
    completed: int
    median_seconds: int | None  # of completed runs
    given_up_most_at: str | None  # the step most runs given up stopped at
    given_up_there: int


def by_week(db: Session, *, since: date) -> list[JourneyWeek]:
    """Most recent week first, journeys by name."""
    runs = db.scalars(select(JourneyRun).where(JourneyRun.day >= since))
    groups: dict[tuple[date, str], list[JourneyRun]] = defaultdict(list)
    for run in runs:
        groups[_monday(run.day), run.journey].append(run)
    weeks = []
    for (week, journey), group in groups.items():
        done = [r.seconds for r in group if r.completed]
        given_up = Counter(r.last_step for r in group if not r.completed).most_common(1)
        weeks.append(
            JourneyWeek(
                week=week,
                journey=journey,
                started=len(group),
                completed=len(done),
                median_seconds=round(median(done)) if done else None,
                given_up_most_at=given_up[0][0] if given_up else None,
                given_up_there=given_up[0][1] if given_up else 0,
            )
        )
    return sorted(weeks, key=lambda w: (-w.week.toordinal(), w.journey))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
