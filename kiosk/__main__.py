"""`kiosk`: the one place that picks the channel and the concrete parts, and wires them.

kiosk                               the touchscreen, with its own demo server
kiosk touch --server URL --token=T  the touchscreen against a running server
kiosk text [--server URL --token=T] the journeys in a terminal
kiosk voice [--engine whisper|vosk] the journeys by voice alone (microphone and loudspeaker)
kiosk voice install-model vosk-fr --sha256 HEX --dest DIR
kiosk touch --speech-input          the touchscreen, where answers may also be said
kiosk phone [--listen HOST:PORT]    the journeys by telephone (a SIP line; speech and keys)

Without --server, an embedded server runs on SQLite with the fictional demo data.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

from kiosk.client.presence import Presence, PrinterState, no_printer
from kiosk.client.services import KioskServices, open_services
from kiosk.client.upkeep import Upkeep
from kiosk.embedded_server import embedded_server
from kiosk.workflows.exercises import BY_ID, EXERCISES, FREE
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS

WORKSHOP_PATH = "/atelier"  # where the server keeps its workshops' sandbox


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.channel = args.channel or "touch"
    if args.channel == "voice" and args.action == "install-model":
        return _install_model(args, parser)
    listening = args.channel in ("voice", "phone") or getattr(args, "speech_input", False)
    if args.channel == "phone" and args.listen.startswith("0.0.0.0") and not args.media_ip:
        parser.error("--media-ip IP is needed with --listen 0.0.0.0 (the address put in SDP)")
    if listening and args.engine == "vosk" and not args.model:
        parser.error("--model DIR is needed with --engine vosk")
    with ExitStack() as stack:
        services = _services(args, parser, stack)
        if args.channel == "text":
            _present(stack, services)
            _text(services)
        elif args.channel == "voice":
            _present(stack, services)
            return _voice(args, stack, services)
        elif args.channel == "phone":
            return _phone(args, parser, services)
        else:
            _touch(args, stack, services)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Borne de rendez-vous médicaux")
    channels = parser.add_subparsers(dest="channel")
    text = channels.add_parser("text", help="the journeys in a terminal (UTF-8)")
    touch = channels.add_parser("touch", help="the touchscreen (the default)")
    voice = channels.add_parser("voice", help="the journeys by voice alone")
    phone = channels.add_parser("phone", help="the journeys by telephone (SIP)")
    phone.add_argument("--listen", default="127.0.0.1:5060", help="SIP address to answer on")
    phone.add_argument("--media-ip", help="the address put in SDP for audio (default: --listen's)")
    phone.add_argument("--register", help="sip:USER@HOST[:PORT]: an extension on an IPBX")
    phone.add_argument(
        "--sip-password-file", type=Path, help="--register: a file holding the password"
    )
    voice.add_argument("action", nargs="?", choices=("install-model",))
    voice.add_argument("name", nargs="?", help="install-model: the model (vosk-fr)")
    voice.add_argument("--sha256", help="install-model: the archive's SHA-256")
    voice.add_argument("--dest", type=Path, help="install-model: the models folder")
    for channel in (touch, voice, phone):
        channel.add_argument("--engine", choices=("whisper", "vosk"), default="whisper")
        channel.add_argument("--model", help="vosk: the model folder")
        channel.add_argument("--models", type=Path, help="whisper: where its model is unpacked")
    touch.add_argument(
        "--speech-input", action="store_true", help="answers may also be said (a microphone)"
    )
    voice.add_argument("--input", type=Path, help="a 16 kHz mono WAV file instead of the micro")
    for channel in (text, touch, voice, phone):
        channel.add_argument("--server", help="base URL of a running server")
        channel.add_argument("--token", help="this kiosk's token (kiosk-server kiosk add)")
        channel.add_argument("--data", type=Path, help="folder for the outbox and directory copy")
    touch.add_argument("--windowed", action="store_true", help="a window, not full screen")
    touch.add_argument("--silent", action="store_true", help="the screens are not read aloud")
    touch.add_argument(
        "--printer",
        default="none",
        help="receipt printer: usb://VVVV:PPPP, tcp://HOST[:PORT], file:///dev/usb/lp0 or none",
    )
    for channel in (touch, voice):
        channel.add_argument("--headset", choices=("auto", "yes", "no"), default="auto")
    touch.add_argument("--screen-width-mm", type=float, default=344.0, help="visible width")
    touch.add_argument("--distance-cm", type=float, default=50.0, help="eyes to screen")
    # The options of one channel, when the command names another (or none).
    unset = dict.fromkeys(("channel", "server", "token", "data", "model", "models", "input"))
    parser.set_defaults(**unset, windowed=False, silent=False, speech_input=False)
    parser.set_defaults(engine="whisper")
    return parser


def _services(
    args: argparse.Namespace, parser: argparse.ArgumentParser, stack: ExitStack
) -> KioskServices:
    args.data = data = args.data or Path(stack.enter_context(tempfile.TemporaryDirectory()))
    base_url, token = args.server, args.token
    if base_url is None:
        server = stack.enter_context(embedded_server(data / "server"))
        args.server, args.token = base_url, token = server.base_url, server.kiosk_token
        print(
            f"Serveur de démonstration : {base_url}\n"
            f"Codes SMS : KIOSK_DATA_DIR={server.env['KIOSK_DATA_DIR']} "
            "kiosk-server sms-outbox --to 06… --last",
            file=sys.stderr,
        )
    if not token:
        parser.error("--token is needed with --server")
    services = open_services(base_url, token, data / "kiosk")
    stack.callback(Upkeep(services).start().stop)
    return services


def _present(
    stack: ExitStack,
    services: KioskServices,
    printer_state: PrinterState = no_printer,
    exercises: list[dict[str, str]] | None = None,
) -> None:
    """Tell the centre's counsellors what this kiosk shows (not for a telephone line, which
    holds several calls at once)."""
    presence = Presence(services.desk, services.replica, printer_state, exercises=exercises)
    stack.callback(presence.start().stop)


def _sessions(args: argparse.Namespace, services: KioskServices) -> Callable[[], Flow]:
    """Each new session: an everyday one, or an exercise in the workshops' sandbox when a
    counsellor set one for this kiosk (the same Desk: help still reaches the dashboard)."""
    sandbox = open_services(
        f"{args.server.rstrip('/')}{WORKSHOP_PATH}",
        args.token,
        args.data / "workshop",
        services.desk,
        workshop=True,
    )

    def new_flow() -> Flow:
        workshop = services.desk.workshop
        if workshop is None:
            return Flow(JOURNEYS, services)
        return Flow(JOURNEYS, sandbox, exercise=BY_ID.get(workshop.exercise, FREE))

    return new_flow


def _text(services: KioskServices) -> None:
    from kiosk.text.channel import run

    sys.stdout.reconfigure(encoding="utf-8")
    sys.stdin.reconfigure(encoding="utf-8")
    run(Flow(JOURNEYS, services), sys.stdin, sys.stdout)


def _touch(args: argparse.Namespace, stack: ExitStack, services: KioskServices) -> None:
    """Kivy, speech and the printer are imported only here: the text channel needs none.

    Kivy keeps its settings in the kiosk's folder, writes no log file (a log could hold what
    a person did) and leaves Python's logging as it is: warnings only.
    """
    import logging
    import os

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
    os.environ.setdefault("KIVY_HOME", str(stack.enter_context(tempfile.TemporaryDirectory())))
    os.environ.setdefault("KCFG_GRAPHICS_WIDTH", "1280")  # a window's size, when not full screen
    os.environ.setdefault("KCFG_GRAPHICS_HEIGHT", "800")
    from hardware.printer import open_printer
    from kiosk.screens.app import run_touch
    from kiosk.screens.display import Display

    printer = open_printer(args.printer)
    offered = [{"id": e.id, "title": e.title} for e in EXERCISES]
    _present(stack, services, lambda: _printer_state(printer), offered)
    speaker = ears = None
    if not args.silent:
        from hardware.audio import Player
        from kiosk.voice.speaker import Speaker

        player = Player(headset=args.headset)
        stack.callback(player.close)
        speaker = Speaker(player)
        stack.callback(speaker.close)
        if args.speech_input:
            ears = _speech_input(args, speaker)
    run_touch(
        _sessions(args, services),
        mode=lambda: services.desk.workshop,
        speaker=speaker,
        ears=ears,
        printer=printer,
        display=Display(width_mm=args.screen_width_mm, distance_cm=args.distance_cm),
        fullscreen=not args.windowed,
    )


def _printer_state(printer) -> str:  # noqa: ANN001 - hardware.printer.ReceiptPrinter
    """The printer as the dashboard names it: none configured, or one that does not answer."""
    if not printer.configured:
        return "none"
    status = printer.status()
    return "offline" if status == "no_printer" else status


def _speech_input(args: argparse.Namespace, speaker):  # noqa: ANN001, ANN202 - Speaker, Ears
    """The microphone beside the touches, on a thread of its own; None if there is none."""

    from kiosk.screens.app import on_screen
    from kiosk.voice.beside_screen import SpeechInput

    if (listening := _listening(args)) is None:
        return None
    audio, recogniser = listening
    ears = SpeechInput(
        recogniser, speaker, on_screen=on_screen, private_heard=lambda: speaker.headset
    )
    threading.Thread(target=ears.listen, args=(audio,), daemon=True, name="microphone").start()
    return ears


def _voice(args: argparse.Namespace, stack: ExitStack, services: KioskServices) -> int:
    """Recognition, speech and the microphone are imported only here."""
    from hardware.audio import Player
    from kiosk.voice.conversation import Conversation
    from kiosk.voice.dialogue import Dialogue
    from kiosk.voice.speaker import Speaker

    if (listening := _listening(args)) is None:
        return 1
    audio, recogniser = listening
    player = Player(headset=args.headset)
    stack.callback(player.close)
    speaker = Speaker(player)
    stack.callback(speaker.close)
    dialogue = Dialogue(Flow(JOURNEYS, services), private_heard=lambda: speaker.headset)
    Conversation(dialogue, recogniser, speaker).run(audio)
    speaker.wait()
    return 0


def _phone(
    args: argparse.Namespace, parser: argparse.ArgumentParser, services: KioskServices
) -> int:
    """Answer calls until interrupted; each call is a session of its own."""
    from kiosk.phone.call import take_call
    from kiosk.phone.line import PhoneLine, account, address

    try:
        extension = account(args.register, args.sip_password_file) if args.register else None
    except (ValueError, OSError) as error:
        parser.error(str(error))
    recogniser = _recogniser(args)

    def new_flow(caller: str | None) -> Flow:
        person = KioskServices(services.api, services.outbox, services.replica)
        return Flow(JOURNEYS, person, caller=caller)

    line = PhoneLine(
        lambda call: take_call(call, new_flow, recogniser),
        address(args.listen),
        media_ip=args.media_ip,
        account=extension,
    ).start()
    print(f"Ligne téléphonique : sip:borne@{args.listen}", file=sys.stderr)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        line.stop()
    return 0


def _listening(args: argparse.Namespace):  # noqa: ANN202 - audio blocks and a Recogniser
    """The audio (the microphone, or --input) and the recogniser; None, said why, if missing."""
    from hardware.microphone import NoMicrophone, microphone
    from kiosk.voice.recognition.models import ModelError
    from kiosk.workflows.i18n import N_, phrase

    try:
        audio = _wav_blocks(args.input) if args.input else microphone()
        if not args.input:
            first = next(audio)  # the device opens here: fail now, with a clear message
            audio = _prepend(first, audio)
        return audio, _recogniser(args)
    except ModelError as error:
        print(phrase("fr", error.message, **error.params), file=sys.stderr)
    except NoMicrophone:
        no_micro = N_("Il n'y a pas de micro sur cette borne. Utilisez l'écran.")
        print(phrase("fr", no_micro), file=sys.stderr)
    return None


def _recogniser(args: argparse.Namespace):  # noqa: ANN202 - a Recogniser
    if args.engine == "vosk":
        from kiosk.voice.recognition.models import vosk_model_dir
        from kiosk.voice.recognition.vosk import VoskRecogniser

        return VoskRecogniser(vosk_model_dir(args.model))
    from kiosk.voice.recognition.whisper import WhisperRecogniser

    cache = args.models or Path.home() / ".cache" / "health-kiosk"
    return WhisperRecogniser.from_packages(cache)


def _wav_blocks(path: Path) -> Iterator[bytes]:
    """A recorded answer, played into the kiosk as a microphone would, then 10 s of quiet."""
    import wave

    with wave.open(str(path)) as wav:
        if (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) != (16_000, 1, 2):
            raise SystemExit("--input: a 16 kHz, mono, 16-bit WAV file is needed")
        while block := wav.readframes(480):
            yield block
    yield from [bytes(960)] * round(10 / 0.03)


def _prepend(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _install_model(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from kiosk.voice.recognition.models import ModelError, install_vosk_model
    from kiosk.workflows.i18n import phrase

    if not (args.name and args.sha256 and args.dest):
        parser.error("install-model needs NAME, --sha256 and --dest")
    try:
        folder = install_vosk_model(args.name, args.dest, args.sha256)
    except ModelError as error:
        print(phrase("fr", error.message, **error.params), file=sys.stderr)
        return 1
    print(folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
