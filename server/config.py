"""Settings read once from environment variables, so secrets never live in code."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATA_DIR = Path(os.environ.get("KIOSK_DATA_DIR", "var"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class Settings:
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'kiosk.sqlite3'}"
    # Workshops book in a sandbox of their own: fictional directory, nothing ever sent.
    workshop_database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'workshop.sqlite3'}"
    # Keys codes and tokens with HMAC: a stolen database alone cannot replay codes.
    secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    timezone: str = "Europe/Paris"
    code_ttl_minutes: int = 10
    code_max_tries: int = 5
    codes_per_phone_per_hour: int = 3
    codes_per_kiosk_per_hour: int = 60
    code_resend_after_seconds: int = 60
    session_idle_minutes: int = 15
    session_absolute_minutes: int = 60
    counsellor_idle_minutes: int = 15  # the counsellors' dashboard
    counsellor_session_hours: int = 8
    hold_minutes: int = 10
    min_booking_lead_minutes: int = 30
    cancel_deadline_hours: int = 4
    slot_horizon_days: int = 28
    sync_radius_km: int = 50
    sms_backend: str = "file"  # file | http
    sms_file_path: str = str(DEFAULT_DATA_DIR / "sms-outbox.jsonl")
    sms_http_url: str = ""
    sms_http_user: str = ""
    sms_http_password: str = ""
    sms_sender: str = "SANTE"
    mail_backend: str = "file"  # file | smtp
    mail_file_path: str = str(DEFAULT_DATA_DIR / "mail-outbox.jsonl")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "kiosque-sante@localhost"
    max_body_bytes: int = 1_000_000
    threads: int = 8  # worker threads per server process

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        defaults = cls()
        return cls(
            database_url=env.get("DATABASE_URL", defaults.database_url),
            workshop_database_url=env.get(
                "KIOSK_WORKSHOP_DATABASE_URL", defaults.workshop_database_url
            ),
            secret_key=env.get("KIOSK_SECRET_KEY", _dev_secret()),
            timezone=env.get("KIOSK_TIMEZONE", defaults.timezone),
            codes_per_kiosk_per_hour=_int("KIOSK_CODES_PER_KIOSK_PER_HOUR", 60),
            sync_radius_km=_int("KIOSK_SYNC_RADIUS_KM", 50),
            counsellor_idle_minutes=_int(
                "KIOSK_COUNSELLOR_IDLE_MINUTES", defaults.counsellor_idle_minutes
            ),
            counsellor_session_hours=_int(
                "KIOSK_COUNSELLOR_SESSION_HOURS", defaults.counsellor_session_hours
            ),
            sms_backend=env.get("SMS_BACKEND", defaults.sms_backend),
            sms_file_path=env.get("SMS_FILE_PATH", defaults.sms_file_path),
            sms_http_url=env.get("SMS_HTTP_URL", ""),
            sms_http_user=env.get("SMS_HTTP_USER", ""),
            sms_http_password=env.get("SMS_HTTP_PASSWORD", ""),
            sms_sender=env.get("SMS_SENDER", defaults.sms_sender),
            mail_backend=env.get("MAIL_BACKEND", defaults.mail_backend),
            mail_file_path=env.get("MAIL_FILE_PATH", defaults.mail_file_path),
            smtp_host=env.get("SMTP_HOST", defaults.smtp_host),
            smtp_port=_int("SMTP_PORT", defaults.smtp_port),
            smtp_user=env.get("SMTP_USER", ""),
            smtp_password=env.get("SMTP_PASSWORD", ""),
            smtp_starttls=env.get("SMTP_STARTTLS", "") == "1",
            mail_from=env.get("MAIL_FROM", defaults.mail_from),
            threads=_int("KIOSK_THREADS", defaults.threads),
        )


def _dev_secret() -> str:
    """A per-machine secret kept beside the data, so development restarts keep codes valid.

    Production sets KIOSK_SECRET_KEY; this file only exists where it does not.
    """
    path = DEFAULT_DATA_DIR / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
