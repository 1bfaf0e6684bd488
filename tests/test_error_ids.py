"""Every error a person reads is raised as a catalogue id with named parameters, never as an
f-string, a `.format()`ed or pre-translated text, or a variable: the id is what the UI and the
CLI translate (`deskui.i18n.describe`), on either side of the server's socket.

Read from the source (AST): the error classes are ServiceError, the domain's RuleError, the
server's HandlerError, the CLI's CliError and ConfigError and every class deriving from them, found by their bases."""

from __future__ import annotations

import ast
from pathlib import Path

import deskui

SOURCE = Path(deskui.__file__).resolve().parent
ROOTS = {"ServiceError", "RuleError", "HandlerError", "CliError", "ConfigError"}
# Classes whose constructor makes its own id from what it is given (each a literal inside).
BUILDS_ITS_OWN = {
    "Conflict",
    "CallbackRecorded",
    "RepairChanged",
    "DatabaseUnavailable",
    "ServerUnavailable",
    "UnknownAgent",
    "SiteFileError",
}
# Where the id is not the first argument.
ID_AT = {"BadCalendarFile": 2, "refuse": 3}
# Calls that hand on an id they were given (checked where that id is written).
FORWARDERS = {
    ("services/audit.py", "refuse"),  # PermissionDenied(reason, **params)
    ("services/queue_list.py", "list_queue"),  # InvalidSearch(refused.message, ...): an id
    ("domain/errors.py", "carrying"),
    ("cli.py", "cmd_demo"),  # CliError(exc.message_id, **exc.params) of a DemoError
    ("domain/workflow.py", "check"),  # WorkflowError(REFUSED[action]): a table of N_ ids
}


def _trees() -> dict[str, ast.Module]:
    return {
        str(p.relative_to(SOURCE)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(SOURCE.rglob("*.py"))
    }


def _name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """Names of the classes that derive, however far, from ROOTS."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(n for b in node.bases if (n := _name(b)))
    found = set(ROOTS)
    while True:
        more = {c for c, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


def _is_id(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return (  # N_("…"): marked where written
        isinstance(node, ast.Call)
        and _name(node.func) == "N_"
        and len(node.args) == 1
        and _is_id(node.args[0])
    )


def bad_sites(trees: dict[str, ast.Module]) -> list[str]:
    classes = error_classes(trees) - BUILDS_ITS_OWN
    found: list[str] = []
    for path, tree in trees.items():
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        inside = {
            id(call): f.name
            for f in functions
            for call in ast.walk(f)
            if isinstance(call, ast.Call)
        }
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            if name not in classes and name not in ID_AT:
                continue
            if (path, inside.get(id(node))) in FORWARDERS:
                continue
            at = ID_AT.get(name, 0)
            if len(node.args) <= at:
                if name in ID_AT or node.args or node.keywords:
                    found.append(f"{path}:{node.lineno}: {name}(…) without a message id")
                continue
            if not _is_id(node.args[at]):
                found.append(f"{path}:{node.lineno}: {ast.unparse(node)[:100]}")
    return found


def test_errors_are_raised_with_literal_ids() -> None:
    assert bad_sites(_trees()) == []


def test_the_scan_finds_what_it_forbids() -> None:
    code = """
class Oops(InvalidAction):
    pass

def f(n, exc):
    raise NotFound(f"no ticket {n}")
    raise Oops(_("no ticket {n}").format(n=n))
    raise InvalidAction(str(exc))
    raise RuleError("no ticket " + n)
    raise HandlerError(message)
    raise NotFound("no ticket {number}", number=n)
    raise refuse(ctx, actor, "export", f"a {role} may not")
    raise BadCalendarFile(path, 0, "{where}: empty; nothing was changed")
"""
    errors = "class InvalidAction(ServiceError): ...\nclass NotFound(ServiceError): ..."
    trees = {"x.py": ast.parse(code), "errors.py": ast.parse(errors)}
    assert [line.split(":")[1] for line in bad_sites(trees)] == ["6", "7", "8", "9", "10", "12"]


def test_a_domain_refusal_reads_in_the_users_language() -> None:
    from deskui.domain import workflow
    from deskui.domain.enums import Status
    from deskui.domain.errors import InvalidAction
    from deskui.i18n import describe, speaking

    try:
        workflow.check("close", Status.IN_PROGRESS)
    except workflow.WorkflowError as exc:
        refused = InvalidAction.carrying(exc)
    assert str(refused) == "cannot close a ticket that is in_progress"  # English: the id
    with speaking("en"):
        assert describe(refused) == "cannot close a ticket that is In progress"
    with speaking("zh_CN"):
        assert describe(refused) == "无法关闭状态为“处理中”的工单"
    plain = InvalidAction.carrying(ValueError("disk on fire"))
    assert (plain.message_id, describe(plain)) == ("{detail}", "disk on fire")
