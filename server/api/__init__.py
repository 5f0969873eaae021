"""HTTP routes under /api/v1: one router per resource, thin; rules live in server/services."""
