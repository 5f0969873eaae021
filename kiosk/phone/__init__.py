"""Telephone channel: the voice dialogue over a SIP line (line), with the keypad beside the
voice (keypad), one session per call (call)."""
