"""Models come from installed packages or a configured folder, checked before use."""

from __future__ import annotations

import hashlib
import http.server
import io
import socket
import threading
import zipfile
from collections.abc import Iterator

import pytest

from kiosk.voice.recognition import models
from kiosk.voice.recognition.models import (
    ModelError,
    install_vosk_model,
    vosk_model_dir,
    whisper_base_dir,
)


def test_the_whisper_folder_is_joined_once_and_reused(tmp_path):
    folder = whisper_base_dir(tmp_path)
    weights = folder / "model.bin"
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == models.WHISPER_BASE_SHA256
    before = weights.stat()
    assert whisper_base_dir(tmp_path) == folder
    assert (weights.stat().st_ino, weights.stat().st_mtime_ns) == (
        before.st_ino,
        before.st_mtime_ns,
    )
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no half-built folder left


def test_weights_that_do_not_match_the_pinned_hash_are_refused(tmp_path):
    with pytest.raises(ModelError) as error:
        whisper_base_dir(tmp_path, sha256="0" * 64)
    assert "abîmé" in error.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_vosk_folder_is_taken_from_configuration(tmp_path):
    installed = vosk_model_dir(models.VOSK_TEST_MODEL)
    assert vosk_model_dir(str(installed)) == installed
    with pytest.raises(ModelError) as error:
        vosk_model_dir(tmp_path / "absent")
    assert error.value.params == {"path": str(tmp_path / "absent")}


def model_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("vosk-model-small-xx-0.1/am/final.mdl", b"acoustic model")
        archive.writestr("vosk-model-small-xx-0.1/conf/model.conf", b"--min-active=200\n")
    return out.getvalue()


@pytest.fixture
def mirror() -> Iterator[str]:
    """A local HTTP server standing for the model site: /model.zip, anything else is 404."""
    body = model_zip()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - named by http.server
            found = self.path == "/model.zip"
            self.send_response(200 if found else 404)
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_vosk_model_is_downloaded_checked_and_unpacked(tmp_path, mirror):
    sha = hashlib.sha256(model_zip()).hexdigest()
    dest = tmp_path / "vosk" / "fr"
    assert install_vosk_model("vosk-fr", dest, sha, url=f"{mirror}/model.zip") == dest
    assert (dest / "am" / "final.mdl").read_bytes() == b"acoustic model"
    assert vosk_model_dir(dest) == dest
    assert [p.name for p in dest.parent.iterdir()] == ["fr"]


def test_a_model_already_installed_is_not_downloaded_again(tmp_path):
    dest = tmp_path / "fr"
    dest.mkdir()
    assert install_vosk_model("vosk-fr", dest, "0" * 64, url="http://127.0.0.1:9/x") == dest


def test_a_download_with_the_wrong_hash_is_not_installed(tmp_path, mirror):
    dest = tmp_path / "fr"
    with pytest.raises(ModelError) as error:
        install_vosk_model("vosk-fr", dest, "0" * 64, url=f"{mirror}/model.zip")
    assert "n'est pas le bon" in error.value.message
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_site_gives_a_clear_message(tmp_path):
    with socket.socket() as closed:  # a port nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(ModelError) as error:
        install_vosk_model("vosk-fr", tmp_path / "fr", "0" * 64, url=f"http://127.0.0.1:{port}/")
    assert "connexion à internet" in error.value.message
    assert list(tmp_path.iterdir()) == []


def test_a_missing_archive_names_the_address(tmp_path, mirror):
    with pytest.raises(ModelError) as error:
        install_vosk_model("vosk-fr", tmp_path / "fr", "0" * 64, url=f"{mirror}/gone.zip")
    assert error.value.params == {"url": f"{mirror}/gone.zip"}


def test_an_unknown_model_name_is_refused(tmp_path):
    with pytest.raises(ModelError) as error:
        install_vosk_model("vosk-xx", tmp_path / "xx", "0" * 64)
    assert error.value.params == {"name": "vosk-xx"}


def test_the_french_model_has_an_official_address():
    assert models.VOSK_ARCHIVES["vosk-fr"].endswith("/vosk-model-small-fr-0.22.zip")
