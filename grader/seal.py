"""The run's side of sealing the hidden tests: ask the sandbox's init, once pytest has them.

Inside the sandbox a submission's code runs as the same user, in the same process, as the tests
that grade it, so the hidden test modules must be readable while pytest imports them. Once they
are imported nothing needs their files any more, and a student's code could read them and copy
them into its failure messages, which students see. So when collection has finished, and before
the first test (the first line of student code) runs, the plugin asks the jail's init, which keeps
the right to mount, to cover each hidden test module with an empty file (``jail.Sealer``), and
waits until it has.

The two pipe ends come from the jail in ``COURSE_SEAL_FDS``; without it (no namespaces, or a
run outside the sandbox) there is nothing to seal with and this does nothing.

Example (what the plugin does in ``pytest_collection_finish``)::

    seal_hidden_tests()
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

SEAL_ENV = "COURSE_SEAL_FDS"  # the same name as jail.SEAL_ENV (jail.py imports nothing of ours)


class SealFailed(RuntimeError):
    """The init could not cover the hidden tests: the run must not go on."""


def seal_hidden_tests(environ: MutableMapping[str, str] = os.environ) -> bool:
    """Have the hidden test modules sealed; True if they were, False if there is no sandbox to ask.

    Raises ``SealFailed`` when the init answers that it could not seal them, or does not answer.
    The variable and both pipe ends are gone afterwards, so no child of the run inherits them.
    """
    spec = environ.pop(SEAL_ENV, None)
    if not spec:
        return False
    request, answer = (int(fd) for fd in spec.split(","))
    try:
        os.write(request, b"s")
        reply = os.read(answer, 1)
    finally:
        os.close(request)
        os.close(answer)
    if reply != b"k":
        raise SealFailed("the sandbox could not seal the hidden tests")
    return True
