"""Business rules: booking, verification, notifications, waiting list, search, sync."""
