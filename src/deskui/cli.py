"""The `deskui` command: run the desk, or manage its database, data and settings.

Handlers stay thin: they parse, call one service, and print. Problems a user can fix are
printed as one clear message with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import gc
import io
import shutil
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any

from deskui import __version__
from deskui.cli_output import Refused, confirm, raw, safe_output

Handler = Callable[[argparse.Namespace], int]
Clock = Callable[[], datetime]


class CliError(Exception):
    """Shown to the user as `deskui: <message>`: a catalogue id and its parameters, as a
    ServiceError's (`deskui.i18n.describe` translates it)."""

    def __init__(self, message_id: str, /, **params: object) -> None:
        self.message_id = message_id
        self.params = params
        super().__init__(message_id.format(**params) if params else message_id)


def add_encoding_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--encoding",
        metavar="NAME",
        help="the CSV file's encoding, e.g. utf-8, gb18030, utf-16 (default: detected)",
    )


# -- wiring ------------------------------------------------------------------------------------
# In the server, a command runs on the server's own context (its database and settings, never
# the caller's --db or config) for the caller the socket's peer names: `deskui.remote.cli_served`
# sets (ServiceContext, LoadedSettings) here for the request's thread.
served: ContextVar[tuple[Any, Any] | None] = ContextVar("deskui_served", default=None)


def _settings(args: argparse.Namespace) -> Any:
    from deskui.config import load_settings
    from deskui.i18n import set_language

    if (inside := served.get()) is not None:
        return inside[1]  # the caller's language is already set for this request

    overrides = {"db_url": getattr(args, "db", None), "lang": getattr(args, "lang", None)}
    loaded = load_settings(args.config, overrides=overrides)
    set_language(loaded.settings.lang)  # the command's messages in the user's language
    if loaded.ignored and not getattr(args, "site_notices_shown", False):
        from deskui.config import ignored_notice

        args.site_notices_shown = True
        for item in loaded.ignored:
            print(f"deskui: {ignored_notice(item)}", file=sys.stderr)
    return loaded


def _db_url(args: argparse.Namespace, *, create: bool = False) -> str:
    """The database URL; unless `create`, a SQLite file that is not there is an error (a
    mistyped --db must not make a new, empty database)."""
    from deskui.store.faults import require_existing

    url: str = _settings(args).settings.db_url
    if served.get() is not None:
        args.db_url = url
        return url
    args.db_url = url
    if not create:
        require_existing(url)
    return url


def _context(args: argparse.Namespace, *, migrate: bool = True, create: bool = False) -> Any:
    from deskui.services.context import ServiceContext
    from deskui.store.engine import make_engine
    from deskui.store.migrate import ensure_current

    if (inside := served.get()) is not None:
        return inside[0]
    settings = _settings(args).settings
    engine = make_engine(_db_url(args, create=create))
    if migrate:
        ensure_current(engine)
    clock = {} if args.clock is None else {"clock": args.clock}
    return ServiceContext(engine, settings, **clock)


def _actor(ctx: Any) -> Any:
    from deskui.services.accounts import actor_for

    return actor_for(ctx)


def _admins_only_in_server(command: str) -> None:
    """Over the server, `command` is for admins (refused and audited as `require_admin` does):
    it works on the site's database itself or reads its whole trail. Embedded, whoever can
    open the database file may run it (the file's permissions decide; an empty or old
    database has no agents to ask)."""
    if (inside := served.get()) is not None:
        from deskui.services.accounts import require_admin

        require_admin(inside[0], command)


# -- commands ----------------------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    """No sub-command: open the desk."""
    # Start-up makes a great many long-lived objects (ORM, pydantic, Textual) that the cyclic
    # collector would only scan again and again; the desk freezes them and turns it back on
    # once its queue shows rows (about 8 % of start-up time).
    gc.disable()
    from deskui.i18n import _, set_language
    from deskui.remote.locate import LocateError, server_path

    try:
        socket = server_path(getattr(args, "server", None))
    except LocateError as exc:
        return _fail(str(exc))
    if socket is not None:  # a shared site: the server owns the data, the desk is its client
        from deskui.remote.desk_client import run_desk

        if getattr(args, "db", None):
            return _fail(_("--db names the server's database, which the server chooses"))
        return run_desk(socket, _settings(args).settings)
    from deskui.services.accounts import UnknownAgent, sign_in

    ctx = _context(args)
    set_language(ctx.settings.lang)
    try:
        actor = sign_in(ctx)
    except UnknownAgent as exc:
        from deskui.ui.unknown_user import run_unknown_user

        gc.enable()
        from deskui.services.directory import admin_names

        run_unknown_user(admin_names(ctx), exc)
        return 2
    from deskui.api.embedded import EmbeddedDeskApi
    from deskui.api.queue import QueueWindows
    from deskui.domain.queue import WINDOW_MARGIN, Query

    # The first rows are read while Textual loads, so the desk opens with its queue filled.
    api = EmbeddedDeskApi(ctx, actor)
    reader = QueueWindows(api)
    lines = shutil.get_terminal_size().lines
    reader.prefetch(Query(actor_id=actor.id, now=ctx.now()), lines + WINDOW_MARGIN)
    from deskui.ui.app import run_app

    run_app(api, actor, ctx.settings, reader)
    return 0


def cmd_config_show(args: argparse.Namespace) -> int:
    from deskui.config import flatten, ignored_notice
    from deskui.i18n import _

    args.site_notices_shown = True  # listed below instead
    loaded = _settings(args)
    print(f"# settings file: {loaded.file or '(none; defaults)'}")
    for key, value in flatten(loaded.settings):
        print(f"{key} = {value!r}    # {loaded.source_of(key)}")
    print(_("# site policy (time zone, SLA, callbacks, KPI targets, identity): `deskui site show`"))
    for item in loaded.ignored:
        print(f"# {ignored_notice(item)}")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from deskui.store.engine import make_engine
    from deskui.store.migrate import current_revision, upgrade

    _admins_only_in_server("db upgrade")
    engine = make_engine(_db_url(args, create=True))
    upgrade(engine)
    from deskui.i18n import _

    print(_("database at revision {revision}").format(revision=current_revision(engine)))
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    from deskui.store.engine import make_engine
    from deskui.store.migrate import current_revision, head_revision

    _admins_only_in_server("db status")
    engine = make_engine(_db_url(args))
    current, head = current_revision(engine), head_revision(engine)
    from deskui.i18n import _

    print(_("database: {url}").format(url=engine.url.render_as_string(hide_password=True)))
    print(
        _("revision: {current}; newest: {head}").format(current=current or _("(empty)"), head=head)
    )
    print(_("status: up to date") if current == head else _("status: needs `deskui db upgrade`"))
    return 0 if current == head else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from deskui.services.demo import DemoError, generate_demo

    if not 0 <= args.tickets <= 10_000_000:
        raise CliError("--tickets {count}: give 0 to 10,000,000", count=args.tickets)
    _admins_only_in_server("demo")
    ctx = _context(args, create=True)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        print(f"\r  {done:,}/{total:,} tickets", end="", file=raw(sys.stderr), flush=True)

    try:
        summary = generate_demo(
            ctx.engine,
            tickets=args.tickets,
            now=ctx.now(),
            seed=args.seed,
            policy=ctx.policy,
            tz=ctx.site.tz,
            callbacks=ctx.site.callbacks,
            progress=progress if tty else None,
            shared=served.get() is not None,  # the server's desks, feed and sweep read on
        )
    except DemoError as exc:
        raise CliError(exc.message_id, **exc.params) from None
    if tty:
        print(file=sys.stderr)
    print(summary)
    return 0


def print_import_report(file: str, report: Any, skip_bad: bool, noun: str) -> int:
    """Each bad row and warning on its own line, then what happened (shared with products)."""
    from deskui.i18n import _, ngettext

    for bad in report.bad:
        print(f"{file}: {bad}", file=sys.stderr)
    if report.more:
        more = ngettext(
            "{file}: … and {count} more problem", "{file}: … and {count} more problems", report.more
        ).format(file=file, count=report.more)
        print(more, file=sys.stderr)
    for warning in getattr(report, "warnings", []):
        print(_("{file}: warning: {warning}").format(file=file, warning=warning), file=sys.stderr)
    if report.bad and not skip_bad:
        print(
            ngettext(
                "{bad} bad row; nothing imported (use --skip-bad to import the good rows)",
                "{bad} bad rows; nothing imported (use --skip-bad to import the good rows)",
                report.bad_lines,
            ).format(bad=report.bad_lines),
            file=sys.stderr,
        )
        return 1
    if noun == "product":
        done = ngettext("imported {count} product", "imported {count} products", report.imported)
    else:
        done = ngettext("imported {count} ticket", "imported {count} tickets", report.imported)
    done = done.format(count=report.imported)
    if report.bad:
        skipped = ngettext("skipped {bad} bad row", "skipped {bad} bad rows", report.bad_lines)
        done = _("{imported}, {skipped}").format(
            imported=done, skipped=skipped.format(bad=report.bad_lines)
        )
    print(done)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from deskui.services.exchange import import_tickets

    ctx = _context(args)
    report = import_tickets(
        ctx, _actor(ctx), Path(args.file), skip_bad=args.skip_bad, encoding=args.encoding
    )
    return print_import_report(args.file, report, args.skip_bad, "ticket")


def cmd_export(args: argparse.Namespace) -> int:
    from deskui.services.exchange import export_tickets

    ctx = _context(args)
    out = Path(args.out) if args.out else sys.stdout
    count = export_tickets(ctx, _actor(ctx), args.format, out, unmasked=args.unmasked)
    if args.out:
        from deskui.i18n import ngettext

        done = ngettext(
            "exported {count} ticket to {path}", "exported {count} tickets to {path}", count
        )
        print(done.format(count=count, path=args.out), file=sys.stderr)
    return 0


def cmd_sla_show(args: argparse.Namespace) -> int:
    from deskui.services.calendar import estimated_years
    from deskui.services.calendar_render import estimated_warning
    from deskui.services.sla_report import policy_table

    ctx = _context(args)
    warning = estimated_warning(estimated_years(ctx))
    if warning:
        print(f"! {warning}\n")
    print(policy_table(ctx.site.sla))
    return 0


def cmd_sla_sweep(args: argparse.Namespace) -> int:
    from deskui.services.accounts import require_admin
    from deskui.services.sla_sweep import sweep

    ctx = _context(args)
    require_admin(ctx, "sla sweep")
    result = sweep(ctx)
    print(result)
    return 0


def cmd_sla_explain(args: argparse.Namespace) -> int:
    from deskui.services.sla_report import explain_ticket

    ctx = _context(args)
    print("\n".join(explain_ticket(ctx, args.number)))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    from deskui.services.accounts import init_site

    _admins_only_in_server("init")  # the server's first admin is added by root or its user
    ctx = _context(args, create=True)
    actor = init_site(ctx)
    print(
        f"database ready at {ctx.engine.url.render_as_string(hide_password=True)}; "
        f"{actor.username} is an admin"
    )
    return 0


def cmd_agent_add(args: argparse.Namespace) -> int:
    from deskui.domain.enums import Role
    from deskui.i18n import _, label
    from deskui.services.accounts import add_agent, require_admin
    from deskui.services.directory import teams

    ctx = _context(args)
    require_admin(ctx, "agent add")
    new_team = args.team and args.team not in {t.name for t in teams(ctx)}
    actor = add_agent(
        ctx, args.username, role=Role(args.role), team=args.team, display_name=args.name
    )
    params = {"username": actor.username, "role": label(actor.role), "team": args.team}
    if new_team:  # a mistyped name would otherwise start a team of one, silently
        print(_("Agent {username} ({role}) saved, in a new team: {team}.").format(**params))
    else:
        print(_("Agent {username} ({role}) saved.").format(**params))
    return 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from deskui.i18n import _, formats, ngettext
    from deskui.services.accounts import require_admin
    from deskui.store.copy import TargetNotEmpty, copy_database, rows_in
    from deskui.store.engine import make_engine
    from deskui.store.faults import same_database

    ctx = _context(args)
    require_admin(ctx, "db copy")
    source_url = _db_url(args)
    if same_database(source_url, args.to):
        raise CliError("--to {url} is the database being copied; give another one", url=args.to)
    source = ctx.engine
    target = _reachable(make_engine(args.to), args.to)
    held = rows_in(target)
    if held:
        confirm(
            _(
                "delete the {rows:,} row(s) in {tables} table(s) of {url} (tickets: {tickets:,}) "
                "and copy this database in their place"
            ).format(
                rows=sum(held.values()),
                tables=len(held),
                url=target.url.render_as_string(hide_password=True),
                tickets=held.get("tickets", 0),
            ),
            yes=args.yes,
        )
    try:
        counts = copy_database(source, target, replace=bool(held))
    except TargetNotEmpty as exc:
        raise CliError("{problem}; copy only into an empty database", problem=str(exc)) from None
    for table, count in counts.items():
        print(
            ngettext("{table}: {count} row", "{table}: {count} rows", count).format(
                table=table, count=formats.decimal(count)
            )
        )
    return 0


def _reachable(engine: Any, url: str) -> Any:
    """The engine, once it has answered: a fault names this URL, not the --db one."""
    from sqlalchemy.exc import SQLAlchemyError

    from deskui.cli_faults import database_problem

    try:
        engine.connect().close()
    except SQLAlchemyError as exc:
        raise CliError("{problem}", problem=database_problem(exc, url)) from None  # in words
    return engine


def cmd_audit(args: argparse.Namespace) -> int:
    import json

    from deskui.domain.schemas import as_aware
    from deskui.services.audit import audit_trail

    _admins_only_in_server("audit")  # every ticket's timeline, of every team
    ctx = _context(args)
    since = None
    if args.since:
        try:
            since = as_aware(datetime.fromisoformat(args.since), ctx.site.zone)
            if not 1970 <= since.year <= 2100:
                raise ValueError
        except ValueError:
            raise CliError(
                "--since {since!r}: use an ISO date or time, e.g. 2026-11-01", since=args.since
            ) from None
    zone = ctx.site.zone
    for line in audit_trail(ctx, since=since, actor=args.actor):
        change = ""
        if line.before or line.after:
            change = " " + json.dumps(
                {"before": line.before, "after": line.after}, ensure_ascii=False
            )
        when = line.at.astimezone(zone).isoformat(timespec="seconds")
        print(f"{when}  {line.actor:<12} {line.kind:<12} {line.ticket:<18} {line.body!r}{change}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from deskui.i18n import _
    from deskui.services.accounts import require_admin
    from deskui.services.privacy import apply_retention, retention_preview

    ctx = _context(args)
    require_admin(ctx, "retention apply")
    due, cutoff = retention_preview(ctx, years=args.years)
    when = cutoff.astimezone(ctx.site.zone).date().isoformat()
    if due == 0:
        nothing = _("no customer to anonymise: none has only tickets closed before {date}")
        print(nothing.format(date=when))
        return 0
    confirm(
        _(
            "anonymise {count} customer(s) whose tickets were all closed before {date} "
            "(names, phones, e-mails and addresses are erased for good)"
        ).format(count=due, date=when),
        yes=args.yes,
    )
    count = apply_retention(ctx, years=args.years)
    print(
        _(
            "anonymised {count} customer(s) whose tickets were all closed more than {years} "
            "years ago"
        ).format(count=count, years=args.years)
    )
    return 0


# -- parser ------------------------------------------------------------------------------------
def _desk_parser(**options: Any) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """`deskui`'s own options (the desk's, with no command): the parser, and the options every
    command shares."""
    from deskui.cli_help import Parser, language_name

    common = Parser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=argparse.SUPPRESS, help="settings file (TOML)"
    )
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="URL",
        help="database URL (else DESKUI_DB_URL, else the settings)",
    )

    parser = Parser(
        prog="deskui",
        description="Keyboard-driven helpdesk for after-sales service.",
        parents=[common],
        **options,
    )
    parser.add_argument("--version", action="version", version=f"deskui {__version__}")
    parser.add_argument(
        "--lang",
        choices=["en", "zh_CN"],
        type=language_name,
        default=argparse.SUPPRESS,
        help="interface language",
    )
    parser.add_argument(
        "--server",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the site server's socket (else DESKUI_SERVER, else the site-wide config); "
        "'none' runs embedded",
    )
    parser.set_defaults(handler=cmd_run)
    return parser, common


def build_parser() -> argparse.ArgumentParser:
    parser, common = _desk_parser()
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def add(
        name: str, handler: Handler, help_text: str, parent: Any = sub
    ) -> argparse.ArgumentParser:
        command = parent.add_parser(name, help=help_text, description=help_text, parents=[common])
        command.set_defaults(handler=handler)
        return command

    config = sub.add_parser("config", help="settings", description="settings").add_subparsers(
        metavar="ACTION", required=True
    )
    add("show", cmd_config_show, "print the effective settings and where each came from", config)

    db = sub.add_parser("db", help="database schema", description="database schema").add_subparsers(
        metavar="ACTION", required=True
    )
    add("upgrade", cmd_db_upgrade, "migrate the database to the newest schema", db)
    add("status", cmd_db_status, "show the database's schema revision", db)
    copy = add(
        "copy", cmd_db_copy, "copy this database into another, empty one (e.g. PostgreSQL)", db
    )
    copy.add_argument("--to", required=True, metavar="URL", help="target database URL")
    copy.add_argument(
        "--yes", action="store_true", help="replace a target that holds data without asking"
    )

    demo = add("demo", cmd_demo, "fill an empty database with believable demo data")
    demo.add_argument("--tickets", type=int, default=5000, help="how many tickets (default 5000)")
    demo.add_argument(
        "--seed", type=int, default=7, help="random seed: the same seed makes the same data"
    )

    imp = add("import", cmd_import, "import tickets from a CSV or XLSX file")
    imp.add_argument("file", help="the CSV or XLSX file")
    imp.add_argument(
        "--skip-bad", action="store_true", help="import the good rows even if some are bad"
    )
    add_encoding_option(imp)

    exp = add("export", cmd_export, "export tickets as CSV, JSON or XLSX")
    exp.add_argument(
        "--format", choices=["csv", "json", "xlsx"], default="csv", help="file format (default csv)"
    )
    exp.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    exp.add_argument(
        "--unmasked", action="store_true", help="include full phone numbers (supervisors, admins)"
    )

    sla = sub.add_parser(
        "sla", help="service level targets", description="service level targets"
    ).add_subparsers(metavar="ACTION", required=True)
    add("show", cmd_sla_show, "print the effective SLA policy table", sla)
    add("sweep", cmd_sla_sweep, "record reminders and escalations that are due (for cron)", sla)
    explain = add("explain", cmd_sla_explain, "explain how a ticket's due times were reached", sla)
    explain.add_argument("number", help="ticket number, e.g. SR-20261123-0042")

    add("init", cmd_init, "create the database and make the current OS user an admin")
    agent = sub.add_parser("agent", help="agents", description="agents").add_subparsers(
        metavar="ACTION", required=True
    )
    agent_add = add("add", cmd_agent_add, "add or update an agent", agent)
    agent_add.add_argument("username", help="the agent's OS user name")
    agent_add.add_argument(
        "--role",
        choices=["agent", "supervisor", "qa", "admin"],
        default="agent",
        help="what the agent may do (default agent)",
    )
    agent_add.add_argument("--team", help="team name (created if new)")
    agent_add.add_argument("--name", help="display name")
    audit = add("audit", cmd_audit, "print the audit trail (changes, logins, reveals, exports)")
    audit.add_argument(
        "--since", help="ISO date or time (site time zone unless an offset is given)"
    )
    audit.add_argument("--actor", help="only this agent's user name")
    retention = sub.add_parser(
        "retention", help="personal data retention", description="personal data retention"
    ).add_subparsers(metavar="ACTION", required=True)
    apply = add("apply", cmd_retention, "anonymise customers of tickets closed long ago", retention)
    apply.add_argument("--years", type=int, default=2, help="retention period in years (default 2)")
    apply.add_argument("--yes", action="store_true", help="do it without asking")

    from deskui.remote.cli_server import add_server_command

    add_server_command(sub, add)
    from deskui.cli_reports import add_report_commands

    add_report_commands(sub, add)
    from deskui.cli_aftersales import add_aftersales_commands

    add_aftersales_commands(sub, add)
    from deskui.cli_calendar import add_calendar_commands

    add_calendar_commands(sub, add)
    from deskui.cli_site import add_site_commands

    add_site_commands(sub, add)
    from deskui.cli_list import add_list_command

    add_list_command(sub, add)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run one command. `clock` replaces the real clock (tests pass a fixed one).

    Everything a command prints goes through one safe output path (`cli_output`); every
    expected fault is one line `deskui: …` and exit status 2; a reader that goes away early
    (`deskui config show | head -3`) ends the command quietly."""
    from deskui.cli_help import help_language

    tokens = list(sys.argv[1:] if argv is None else argv)
    help_language(tokens)
    args = _desk_args(tokens) or build_parser().parse_args(tokens)
    for name in ("config", "db", "lang"):
        if not hasattr(args, name):
            setattr(args, name, None)
    args.clock = clock
    if args.handler not in _local_handlers():
        from deskui.remote.locate import LocateError, server_path

        try:
            socket = server_path(getattr(args, "server", None))
        except LocateError as exc:
            return _fail(str(exc))
        if socket is not None:
            from deskui.remote.cli_client import run_remote

            with safe_output():
                return run_remote(socket, list(sys.argv[1:] if argv is None else argv), args)
    if args.handler is cmd_run:  # the desk owns the terminal; it shows text with Text()
        return _run_command(args)
    try:
        with safe_output():
            return _run_command(args)
    except BrokenPipeError:
        _silence_stdout()
        return 141  # what the shell reports for a command stopped by SIGPIPE


def _desk_args(tokens: list[str]) -> argparse.Namespace | None:
    """The arguments when `tokens` only open the desk (`deskui --server PATH`, say): read
    without building every command's parser, 12 ms of the desk's start. None when they name a
    command, ask for help or do not parse: the whole parser answers those."""
    if any(t.startswith("-h") or t == "--help" for t in tokens):
        return None
    parser, _common = _desk_parser(exit_on_error=False)
    try:
        args, rest = parser.parse_known_args(tokens)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def _local_handlers() -> frozenset[Handler]:
    from deskui.remote.cli_server import cmd_server

    # The desk (its client mode is deskui.api's), personal settings and the server itself.
    return frozenset({cmd_run, cmd_config_show, cmd_server})


def _run_command(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except BrokenPipeError:
        raise
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        message = _expected_fault(exc, args)
        if message is None:
            raise  # a bug: the traceback is what a developer needs
        return _fail(message)


def _expected_fault(exc: Exception, args: argparse.Namespace) -> str | None:
    """The one line for a fault a user can fix; None for anything else. Imports only once a
    fault happened, so a command's start-up does not pay for them."""
    import sqlite3

    from sqlalchemy.exc import SQLAlchemyError

    from deskui.cli_faults import (
        database_problem,
        missing_database,
        os_problem,
        served_database_problem,
    )
    from deskui.config import ConfigError
    from deskui.services.errors import DatabaseUnavailable, ServiceError
    from deskui.store.faults import DatabaseMissing

    if isinstance(exc, DatabaseMissing):
        return missing_database(exc.path)
    if isinstance(exc, DatabaseUnavailable) and isinstance(exc.__cause__, SQLAlchemyError):
        exc = exc.__cause__  # the services' wrapper: name the problem and the fix from its cause
    if isinstance(exc, CliError | ConfigError | ServiceError | Refused):
        from deskui.i18n import describe

        return describe(exc)
    if isinstance(exc, SQLAlchemyError | sqlite3.Error):  # the demo loader speaks sqlite3
        if served.get() is not None:
            return served_database_problem(exc)
        return database_problem(exc, getattr(args, "db_url", None) or args.db or "?")
    if isinstance(exc, OSError):
        return os_problem(exc)
    return None


def _fail(message: str) -> int:
    print(f"deskui: {message}", file=sys.stderr)
    return 2


def _silence_stdout() -> None:
    """The reader closed the pipe: point stdout at /dev/null so exit's flush stays quiet."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


if __name__ == "__main__":
    raise SystemExit(main())
