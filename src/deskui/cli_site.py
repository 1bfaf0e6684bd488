"""Site policy commands (issue 13): SLA rules, callback hours, KPI targets, the site time zone
(which also decides ticket numbering) and identity, stored in the database.

deskui site show                 (everyone: the policy is not secret)
deskui site export FILE          (everyone)
deskui site import FILE [--yes]  (admins; shows the changes and asks first)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _ctx(args: argparse.Namespace) -> Any:
    from deskui.cli import _context
    from deskui.i18n import set_language

    ctx = _context(args)
    set_language(ctx.settings.lang)
    return ctx


def _shown(value: Any) -> str:
    return "—" if value is None else repr(value)


def cmd_site_show(args: argparse.Namespace) -> int:
    from deskui.i18n import _
    from deskui.services.site import current, policy_toml

    ctx = _ctx(args)
    policy, revision, history = current(ctx)
    if revision == 0:
        comments = [_("site policy: deskui's defaults (never changed on this database)")]
    else:
        last = history[0]
        comments = [
            _("site policy revision {revision}, set by {user} at {when} from {source}").format(
                revision=revision,
                user=last.username,
                when=last.changed_at.astimezone(policy.zone).strftime("%Y-%m-%d %H:%M %Z"),
                source=last.source,
            )
        ]
    comments.append(_("admins change it with `deskui site import FILE`"))
    sys.stdout.write(policy_toml(policy, comments))
    return 0


def cmd_site_export(args: argparse.Namespace) -> int:
    from deskui.cli import CliError
    from deskui.i18n import _
    from deskui.services.site import export_site

    ctx = _ctx(args)
    try:
        revision = export_site(ctx, Path(args.file))
    except OSError as exc:
        raise CliError(
            "cannot write {path}: {error}", path=args.file, error=str(exc.strerror or exc)
        ) from None
    print(
        _("Exported site policy revision {revision} to {file}").format(
            revision=revision, file=args.file
        )
    )
    return 0


def cmd_site_import(args: argparse.Namespace) -> int:
    from deskui.cli import CliError
    from deskui.i18n import _
    from deskui.services.site import apply_import, plan_import

    ctx = _ctx(args)
    try:
        plan = plan_import(ctx, Path(args.file))
    except OSError as exc:
        raise CliError(
            "cannot read {path}: {error}", path=args.file, error=str(exc.strerror or exc)
        ) from None
    for key in plan.personal:
        print(
            _("{file}: {key} is a personal setting, not site policy; skipped").format(
                file=args.file, key=key
            )
        )
    dates = len(plan.closed_dates) + len(plan.open_dates)
    if dates:
        print(
            _(
                "{file}: {count} date(s) of sla.calendar.closed_dates/open_dates move into the "
                "business calendar (see `deskui calendar show`)"
            ).format(file=args.file, count=dates)
        )
    print(
        _("{file}: {count} change(s) to the site policy:").format(
            file=args.file, count=len(plan.changes)
        )
    )
    for change in plan.changes:
        print(f"  {change.key}: {_shown(change.before)} -> {_shown(change.after)}")
    if not plan.changes and not dates:
        print(_("Nothing to change."))
        return 0
    print(
        _(
            "Keys the file does not set take deskui's defaults. The new policy applies from now on: "
            "open tickets keep their due times and get new ones from it when they next change "
            "(nothing is recomputed now)."
        )
    )
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("nothing applied: give --yes to apply the changes above")
        answer = input(_("Apply these changes? [y/N] ")).strip().lower()
        if answer not in ("y", "yes", "是"):
            print(_("Nothing applied."))
            return 1
    result = apply_import(ctx, plan)
    print(
        _("Site policy is now revision {revision} ({count} change(s)).").format(
            revision=result.revision, count=result.changes
        )
    )
    if dates:
        print(
            _("Added {added} calendar date(s); {moved} open ticket(s) got new due times.").format(
                added=result.dates_added, moved=result.tickets_moved
            )
        )
    return 0


def add_site_commands(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    from deskui.i18n import N_

    about = N_("site policy: SLA rules, callbacks, KPI targets, time zone, identity")
    site = sub.add_parser("site", help=about, description=about).add_subparsers(
        metavar="ACTION", required=True
    )
    add("show", cmd_site_show, "print the site policy in force (TOML)", site)
    exp = add("export", cmd_site_export, "write the site policy to a TOML file", site)
    exp.add_argument("file", help="the TOML file to write")
    exp.set_defaults(files_in=(), files_out=("file",))  # through a server: FILE comes back
    imp = add(
        "import",
        cmd_site_import,
        "make a TOML file (or an old config.toml) the site policy; admins only, shows the "
        "changes first",
        site,
    )
    imp.add_argument("file", help="the TOML file to read")
    imp.add_argument("--yes", action="store_true", help="apply without asking")
