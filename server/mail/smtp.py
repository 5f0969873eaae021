"""E-mail through an SMTP server (STARTTLS and login when configured), UTF-8 plain text."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from server.config import Settings
from server.delivery import DeliveryError, Outgoing

TIMEOUT_SECONDS = 10


class SmtpBackend:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def send(self, message: Outgoing) -> None:
        settings = self.settings
        email = EmailMessage()
        email["From"] = settings.mail_from
        email["To"] = message.recipient
        email["Subject"] = message.subject or ""
        email.set_content(message.body, charset="utf-8")
        try:
            with smtplib.SMTP(
                settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS
            ) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password)
                smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            # The class name only: SMTP errors can quote the recipient's address.
            raise DeliveryError(f"SMTP failure: {type(exc).__name__}") from exc
