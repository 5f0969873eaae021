"""The sync server: directory, accounts, appointments and notifications for the health kiosks."""
