"""The text channel: the journeys in a terminal, for braille displays, demos and scripts."""
