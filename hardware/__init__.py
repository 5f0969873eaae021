"""Device adapters: receipt printer, audio devices, headset detection.

Imports nothing from kiosk: kiosk/__main__.py wires them in.
"""
