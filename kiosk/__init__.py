"""The kiosk: journeys written once (workflows/) and rendered by the touch, voice, phone and text
channels. Built in the issues that follow the sync server; it talks to the server only over HTTP."""
