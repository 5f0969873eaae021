"""Voice channel: speech synthesis and the kiosk's speaker (recognition comes with issue 5)."""
