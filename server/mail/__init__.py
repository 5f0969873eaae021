"""E-mail: the SMTP backend (the file backend is shared with SMS, see server.delivery)."""
