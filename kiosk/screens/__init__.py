"""The touch channel: a large-text Kivy screen that renders the journeys' views.

It holds no journey logic: every touch becomes a Flow event and the View returned is drawn.
Importing this package does not import Kivy; `kiosk.screens.app` does.
"""
