"""A server thread answering in one caller's language leaves the process's language alone."""

import threading

from deskui.i18n import _, language, set_language, speaking


def test_speaking_is_local_to_its_thread() -> None:
    set_language("en")
    seen: list[str] = []
    inside = threading.Event()
    done = threading.Event()

    def caller() -> None:
        with speaking("zh_CN"):
            seen.append(_("Queue"))
            inside.set()
            done.wait(5)

    thread = threading.Thread(target=caller)
    thread.start()
    inside.wait(5)
    assert language() == "en"  # the other thread's language did not leak here
    assert _("Queue") == "Queue"
    done.set()
    thread.join()
    assert seen[0] != "Queue"
