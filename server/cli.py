"""`kiosk-server`: run, migrate, fill and operate the sync server from a terminal."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import server.services.sync  # noqa: F401 - registers change capture: every write reaches kiosks
from server.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    settings = Settings.from_env()
    return args.run(args, settings) or 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk-server", description=__doc__)
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=_serve)

    sub.add_parser("migrate", help="create or upgrade the database schema").set_defaults(
        run=_migrate
    )
    sub.add_parser("seed-demo", help="fill a fictional directory around Douai").set_defaults(
        run=_seed_demo
    )

    rpps = sub.add_parser("import-rpps", help="import an Annuaire Santé extraction")
    rpps.add_argument("file", type=Path)
    rpps.set_defaults(run=_import_rpps)

    slots = sub.add_parser("generate-slots", help="create slots ahead from opening hours")
    slots.add_argument("--days", type=int, default=None)
    slots.set_defaults(run=_generate_slots)

    worker = sub.add_parser("worker", help="send due SMS and e-mails, expire holds")
    worker.add_argument("--once", action="store_true", help="one pass, then exit")
    worker.set_defaults(run=_worker)

    kiosk = sub.add_parser("kiosk", help="kiosk devices").add_subparsers(required=True)
    kiosk_add = kiosk.add_parser("add", help="register a kiosk; prints its token last")
    kiosk_add.add_argument("name")
    kiosk_add.add_argument("--commune", required=True, help="INSEE code, e.g. 59178 for Douai")
    kiosk_add.set_defaults(run=_kiosk_add)

    practice = sub.add_parser("practice", help="practices (secretariats)").add_subparsers(
        required=True
    )
    practice_add = practice.add_parser("add", help="register a practice; prints its token last")
    practice_add.add_argument("name")
    practice_add.add_argument("--practitioner", type=int, action="append", default=[])
    practice_add.set_defaults(run=_practice_add)

    callbacks = sub.add_parser("callbacks", help="call-back requests still to call, oldest first")
    callbacks.add_argument("--done", type=int, metavar="ID", help="mark one called back")
    callbacks.set_defaults(run=_callbacks)

    counsellor = sub.add_parser("counsellor", help="the centre's counsellors (dashboard)")
    counsellor_sub = counsellor.add_subparsers(required=True)
    counsellor_add = counsellor_sub.add_parser(
        "add", help="register a counsellor; prints the authenticator app's QR code"
    )
    counsellor_add.add_argument("login")
    counsellor_add.add_argument("--name", required=True, help="shown to visitors: 'Camille'")
    counsellor_add.add_argument(
        "--password-file", type=Path, help="else the password is read from standard input"
    )
    counsellor_add.set_defaults(run=_counsellor_add)
    counsellor_disable = counsellor_sub.add_parser(
        "disable", help="a counsellor can no longer sign in"
    )
    counsellor_disable.add_argument("login")
    counsellor_disable.set_defaults(run=_counsellor_disable)

    outbox = sub.add_parser("sms-outbox", help="read SMS written by the file backend")
    outbox.add_argument("--to", required=True, help="phone number, any format")
    outbox.add_argument("--last", action="store_true", help="only the last message")
    outbox.set_defaults(run=_sms_outbox)
    return parser


def _database(settings: Settings):
    from server.db import Database

    return Database(settings.database_url, pool_size=2)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    print(
        f"API: http://{args.host}:{args.port}/api/v1/health — docs: http://{args.host}:{args.port}/docs"
    )
    uvicorn.run(
        "server.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        access_log=False,  # server.middleware.AccessLog logs without paths' personal data
    )
    return 0


def _migrate(_args: argparse.Namespace, settings: Settings) -> int:
    from server.migrations import upgrade

    upgrade(settings.database_url)
    print("Database schema is up to date.")
    return 0


def _seed_demo(_args: argparse.Namespace, settings: Settings) -> int:
    from server.demo import seed_demo

    counts = seed_demo(_database(settings))
    print(json.dumps(counts, ensure_ascii=False))
    return 0


def _import_rpps(args: argparse.Namespace, settings: Settings) -> int:
    from server.importers.rpps import import_rpps

    if not args.file.is_file():
        print(f"File not found: {args.file}", file=sys.stderr)
        return 2
    report = import_rpps(_database(settings), args.file)
    print(report)
    return 0


def _generate_slots(args: argparse.Namespace, settings: Settings) -> int:
    from server.clock import utcnow
    from server.services.slots import generate_slots

    with _database(settings).writing() as db:
        created = generate_slots(
            db, start=utcnow().date(), days=args.days or settings.slot_horizon_days
        )
    print(f"{created} slots created.")
    return 0


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.worker import run_worker

    sent = run_worker(_database(settings), settings, once=args.once)
    print(f"{sent} messages sent.")
    return 0


def _kiosk_add(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.communes import communes
    from server.services.kiosks import add_kiosk

    commune = communes().get(args.commune)
    if commune is None:
        print(f"Unknown INSEE commune code: {args.commune}", file=sys.stderr)
        return 2
    with _database(settings).writing() as db:
        kiosk, token = add_kiosk(db, name=args.name, commune_insee=commune.insee)
        print(f"Kiosk {kiosk.id} '{args.name}' in {commune.name}. Token (shown once):")
    print(token)
    return 0


def _practice_add(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.kiosks import add_practice

    try:
        with _database(settings).writing() as db:
            practice, token = add_practice(db, name=args.name, practitioner_ids=args.practitioner)
            print(f"Practice {practice.id} '{args.name}'. Token (shown once):")
    except LookupError as missing:
        print(f"Unknown practitioner id: {missing}", file=sys.stderr)
        return 2
    print(token)
    return 0


def _callbacks(args: argparse.Namespace, settings: Settings) -> int:
    """One line per request to call: id, local time, number, kiosk, step."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from server.errors import ApiError
    from server.services.callbacks import mark_done, open_callbacks
    from server.services.phones import format_phone_fr

    database = _database(settings)
    if args.done is not None:
        try:
            with database.writing() as db:
                mark_done(db, args.done)
        except ApiError:
            print(f"Unknown call-back request id: {args.done}", file=sys.stderr)
            return 2
        print(f"Call-back request {args.done} done; its phone number is erased.")
        return 0
    zone = ZoneInfo(settings.timezone)
    with database.reading() as db:
        waiting = open_callbacks(db)
    if not waiting:
        print("No call-back request to call.")
    for request in waiting:
        local = request.created_at.replace(tzinfo=UTC).astimezone(zone)
        phone = format_phone_fr(request.phone) if request.phone else "-"
        print(
            f"{request.id}  {local:%d/%m/%Y %H:%M}  {phone}  {request.kiosk.name}  {request.step}"
        )
    return 0


def _counsellor_add(args: argparse.Namespace, settings: Settings) -> int:
    """Errors are one line of French on standard error, and exit status 1."""
    import qrcode

    from server.services.counsellors import CounsellorError, add

    try:
        password = _read_password(args.password_file)
        with _database(settings).writing() as db:
            enrolment = add(db, login=args.login, name=args.name, password=password)
    except CounsellorError as refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"Compte de conseiller ajouté : {enrolment.login}.")
    print("Dans l'application d'authentification du téléphone, scannez ce code QR,")
    print("ou copiez l'adresse ou la clé qui suivent.")
    code = qrcode.QRCode(border=2)
    code.add_data(enrolment.uri)
    code.print_ascii(out=sys.stdout, invert=True)
    print(f"Adresse : {enrolment.uri}")
    print(f"Clé : {enrolment.secret}")
    return 0


def _read_password(path: Path | None) -> str:
    """From the file, or from standard input: typed twice, unseen, at a terminal."""
    from getpass import getpass

    from server.services.counsellors import CounsellorError

    if path is not None:
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as missing:
            raise CounsellorError(f"Fichier illisible : {path}.") from missing
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass("Mot de passe (12 caractères au moins) : ")
    if getpass("Le même mot de passe, encore une fois : ") != password:
        raise CounsellorError("Les deux mots de passe sont différents.")
    return password


def _counsellor_disable(args: argparse.Namespace, settings: Settings) -> int:
    from server.services.counsellors import CounsellorError, disable

    try:
        with _database(settings).writing() as db:
            disable(db, args.login)
    except CounsellorError as refused:
        print(refused, file=sys.stderr)
        return 1
    print(f"Compte désactivé : {args.login}. Il ne permet plus de se connecter.")
    return 0


def _sms_outbox(args: argparse.Namespace, settings: Settings) -> int:
    from server.errors import ApiError
    from server.services.phones import normalize_mobile
    from server.sms.file import last_message, messages_to

    try:
        phone = normalize_mobile(args.to)
    except ApiError as error:
        print(error.message, file=sys.stderr)
        return 2
    path = Path(settings.sms_file_path)
    found = [last_message(path, phone)] if args.last else messages_to(path, phone)
    found = [m for m in found if m]
    if not found:
        print("No message for this number.", file=sys.stderr)
        return 1
    for message in found:
        print(f"{message['sent_at']}  {message['body']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
