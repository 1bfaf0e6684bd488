"""Keep deskui's translation catalogues: extract, update, compile, fold, check.

The catalogue is `src/deskui/i18n/locale/zh_CN/LC_MESSAGES/deskui.po` (English ids, Simplified
Chinese translations); `deskui.mo` beside it is its compiled form, committed so a fresh clone
and CI run without a build step (the catalogue test fails when the two disagree).

    .venv/bin/python scripts/i18n.py extract   # list the ids the source uses (a .pot on stdout)
    .venv/bin/python scripts/i18n.py update    # add new ids (untranslated), drop obsolete ones,
                                               # then compile
    .venv/bin/python scripts/i18n.py compile   # .po -> .mo
    .venv/bin/python scripts/i18n.py check     # what the catalogue test checks, as a list
    .venv/bin/python scripts/i18n.py --fold src/deskui/i18n/zh_cn_foo.py [more.py ...]

Ids are found by Babel's Python extractor with the keywords `_`, `N_` (mark a table entry that
`_()` translates later), `pgettext(context, id)`, `ngettext(singular, plural, n)`,
`npgettext`, `Binding(key, action, description)` (plus its `tooltip=`), `HELP_GROUP = "…"`, the
first argument of the ServiceError classes (`NotFound("no ticket {number}", number=…)`), and
the enum labels of `deskui/i18n/labels.py` (context: the enum's name). f-strings with
substitutions cannot be ids: Babel warns and skips them.

Folding (the merge step for a branch that still adds a `zh_cn_<name>.py` dict module):
  1. resolve the merge so `src/deskui/i18n/zh_cn.py` stays deleted (the branch's import line
     in it is the only conflict) and the branch's `zh_cn_<name>.py` is present;
  2. run `scripts/i18n.py --fold src/deskui/i18n/zh_cn_<name>.py`: every `MESSAGES` entry
     (and `LABELS` entry, keyed `Enum.value`) is merged into the .po. New ids are added, ids
     the .po has untranslated are filled, same translations are skipped; a different
     translation is a conflict: the .po's is kept and both are printed (`--prefer-theirs`
     takes the module's). An entry whose placeholders differ from its id's is refused and
     printed. 问题单 is written 工单. The module is read as literal dicts, never run;
  3. the module is deleted (`--keep` keeps it), the .po is rewritten sorted, the .mo compiled;
  4. run `scripts/i18n.py update` then `check` (or `pytest tests/test_i18n_catalogue.py`):
     what the branch's code uses without a translation is listed there.
Exit status: 0 when done and clean, 1 when there were conflicts, refusals or check failures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.pofile import write_po

from deskui.i18n import tools


def _check() -> list[str]:
    from deskui.i18n.checks import problems

    return problems()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["extract", "update", "compile", "check"])
    parser.add_argument("--fold", nargs="+", type=Path, metavar="MODULE", default=[])
    parser.add_argument("--keep", action="store_true", help="keep the folded module")
    parser.add_argument("--prefer-theirs", action="store_true")
    args = parser.parse_args(argv)
    status = 0
    for module in args.fold:
        report = tools.fold(module, prefer_theirs=args.prefer_theirs)
        print(
            f"{module}: {len(report.added)} added, {len(report.filled)} filled, "
            f"{len(report.same)} already there, {len(report.conflicts)} conflicts, "
            f"{len(report.bad)} refused"
        )
        for msgid, kept, theirs in report.conflicts:
            which = "theirs" if args.prefer_theirs else "kept"
            print(
                f"  conflict {msgid!r}: {which} {theirs if args.prefer_theirs else kept!r}, "
                f"other {kept if args.prefer_theirs else theirs!r}"
            )
        for msgid, why in report.bad:
            print(f"  refused {msgid!r}: {why}")
        if report.conflicts or report.bad:
            status = 1
        if not args.keep:
            module.unlink()
    if args.command == "extract":
        write_po(sys.stdout.buffer, tools.extract(), width=100, sort_output=True)
    elif args.command == "update":
        for msgid, context in tools.update():
            print(f"dropped obsolete {context + '|' if context else ''}{msgid!r}")
    elif args.command == "compile":
        print(tools.compile_mo())
    elif args.command == "check":
        found = _check()
        for line in found:
            print(line)
        status = status or (1 if found else 0)
    elif not args.fold:
        parser.print_help()
    return status


if __name__ == "__main__":
    sys.exit(main())
