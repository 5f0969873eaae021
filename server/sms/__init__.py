"""SMS: texts (templates), the file outbox reader (file) and the HTTP gateway backend (http)."""
