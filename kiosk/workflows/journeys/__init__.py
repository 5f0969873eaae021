"""Every journey of the kiosk; the first is where a session starts."""

from __future__ import annotations

from kiosk.workflows.journeys.account import ACCOUNT
from kiosk.workflows.journeys.appointments import APPOINTMENTS
from kiosk.workflows.journeys.booking import BOOKING
from kiosk.workflows.journeys.call_back import CALL_BACK
from kiosk.workflows.journeys.helpers import HELPERS
from kiosk.workflows.journeys.sign_in import SIGN_IN
from kiosk.workflows.journeys.welcome import WELCOME

JOURNEYS = [WELCOME, SIGN_IN, ACCOUNT, HELPERS, BOOKING, APPOINTMENTS, CALL_BACK]
