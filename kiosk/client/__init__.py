"""The kiosk's only way out to the server: HTTP client, outbox of writes, directory replica.

`KioskServices` (kiosk.client.services) implements kiosk.workflows.services.Services on top of
`Api` (HTTP), `Outbox` (writes kept until the server answered) and `Replica` (offline search).
"""
