"""A QR code as a Kivy texture: one texel per module, drawn sharp at any size."""

from __future__ import annotations

import qrcode
from kivy.graphics.texture import Texture

QUIET_ZONE = 4  # modules of white around the code, as the standard asks


def modules(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(border=QUIET_ZONE, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def qr_texture(text: str) -> Texture:
    matrix = modules(text)
    side = len(matrix)
    pixels = bytes(0 if dark else 255 for line in reversed(matrix) for dark in line)
    texture = Texture.create(size=(side, side), colorfmt="luminance")
    texture.mag_filter = texture.min_filter = "nearest"
    texture.blit_buffer(pixels, colorfmt="luminance", bufferfmt="ubyte")
    return texture
