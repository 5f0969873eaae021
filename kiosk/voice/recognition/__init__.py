"""Speech to text, offline: one interface (base), two engines (whisper, vosk), the models they
load (models) and the end of speech found by voice-activity detection (endpoint).

Engines are imported from their own modules so that loading one never imports the other.
"""

from kiosk.voice.recognition.base import SAMPLE_RATE, Heard, Recogniser, Utterance

__all__ = ["SAMPLE_RATE", "Heard", "Recogniser", "Utterance"]
