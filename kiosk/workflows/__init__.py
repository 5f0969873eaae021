"""The journeys, written once for every channel: steps, flow state, validation, messages."""
