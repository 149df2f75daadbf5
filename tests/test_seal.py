"""The run's side of sealing the hidden tests (the jail's side is exercised in test_hostile)."""

from __future__ import annotations

import os
import threading

import pytest

from grader import jail, seal


def _init_that_answers(reply: bytes) -> tuple[dict[str, str], list[bytes], threading.Thread]:
    """Pipes as the jail sets them up, and a thread playing the init: it records the request."""
    request_r, request_w = os.pipe()
    answer_r, answer_w = os.pipe()
    heard: list[bytes] = []

    def init() -> None:
        heard.append(os.read(request_r, 1))
        os.write(answer_w, reply)
        os.close(request_r)
        os.close(answer_w)

    thread = threading.Thread(target=init)
    thread.start()
    return {seal.SEAL_ENV: f"{request_w},{answer_r}", "OTHER": "kept"}, heard, thread


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def test_without_a_sandbox_there_is_nothing_to_seal() -> None:
    environ = {"OTHER": "kept"}
    assert seal.seal_hidden_tests(environ) is False
    assert environ == {"OTHER": "kept"}


def test_the_run_asks_once_waits_for_the_answer_and_closes_its_ends() -> None:
    environ, heard, init = _init_that_answers(b"k")
    fds = [int(fd) for fd in environ[seal.SEAL_ENV].split(",")]
    assert seal.seal_hidden_tests(environ) is True
    init.join(timeout=10)
    assert heard == [b"s"]
    assert environ == {"OTHER": "kept"}, "children of the run must not inherit the channel"
    assert not any(_is_open(fd) for fd in fds)


@pytest.mark.parametrize("reply", [b"e", b""], ids=["could_not_seal", "init_gone"])
def test_a_seal_that_did_not_happen_stops_the_run(reply: bytes) -> None:
    environ, _heard, init = _init_that_answers(reply)
    with pytest.raises(seal.SealFailed, match="could not seal the hidden tests"):
        seal.seal_hidden_tests(environ)
    init.join(timeout=10)


def test_the_jail_and_the_plugin_agree_on_the_variable() -> None:
    assert jail.SEAL_ENV == seal.SEAL_ENV
