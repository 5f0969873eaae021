"""`make bench`: every benchmark on both databases; a table on stdout, JSON in bench/results/.

`python -m bench booking search rpps` runs only the named ones.
"""

from __future__ import annotations

import json
import sys

from bench.common import RESULTS, save

TARGETS = {
    "booking_http": "≥ 300/s SQLite, ≥ 600/s PostgreSQL, p99 ≤ 100 ms",
    "booking_contention": "exactly 50 appointments for 50 slots",
    "search_national": "p95 ≤ 50 ms",
    "rpps_import": "≥ 20,000 rows/s, ≤ 200 MB",
    "journeys": "new person ≤ 15 actions, ≤ 5 typed, no password/e-mail; returning ≤ 8",
    "speech": "time to first audio p95 ≤ 100 ms",
    "touch": "cold start p50 ≤ 2 s, touch to next step drawn p95 ≤ 100 ms, RSS ≤ 300 MB",
    "voice": "reply p95 ≤ 1.0 s (Whisper), ≤ 0.3 s (vosk); ≥ 95 % understood first time",
    "phone": "≥ 4 calls at once with vosk, ≥ 2 with Whisper, reply p95 ≤ 1.5 s",
    "dashboard": "help on the dashboard p95 ≤ 2 s; J'arrive heard by the kiosk p95 ≤ 2 s",
}


def main(names: list[str]) -> int:
    from bench import booking_http, journeys, rpps_import, search_national

    suites = {"booking": booking_http.run, "search": search_national.run, "rpps": rpps_import.run}
    suites["journeys"] = journeys.run
    from bench import speech

    suites["speech"] = speech.run
    from bench import touch

    suites["touch"] = touch.run
    from bench import voice

    suites["voice"] = voice.run
    from bench import phone

    suites["phone"] = phone.run
    from bench import dashboard

    suites["dashboard"] = dashboard.run
    for name in names or list(suites):
        save(name, suites[name]())
    # The table and all.json show the latest run of every suite, so one suite can be re-run alone.
    rows = [
        row
        for name in suites
        if (RESULTS / f"{name}.json").exists()
        for row in json.loads((RESULTS / f"{name}.json").read_text())
    ]
    _print_table(rows)
    save("all", rows)
    return 0


def _print_table(rows: list[dict]) -> None:
    print(f"\n{'benchmark':<20} {'database':<11} result")
    for row in rows:
        shown = {k: v for k, v in row.items() if k not in ("benchmark", "database")}
        print(f"{row['benchmark']:<20} {row.get('database', ''):<11} {shown}")
    print("\nTargets:")
    for name, target in TARGETS.items():
        print(f"  {name:<20} {target}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
