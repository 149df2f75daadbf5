"""asyncio course kit: the grading plugin, the grading engine and the ``course`` CLI.

The path of a submission through the kit, top to bottom:

- ``manifest``: course.yml, the single manifest (order, points, hints, paths);
- ``student``: importing the student's file with errors a student can act on;
- ``loop``, ``blocking``, ``hygiene``, ``cancellation``: what a graded test runs on and checks;
- ``plugin``: the pytest plugin tying those together, and ``results``: the JSON it reports;
- ``runner``: one sandboxed pytest run per (submission, exercise), read back into results;
- ``check``, ``grading``, ``verify``: the student loop, batch grading, the maintainer's self-check;
- ``files``: atomic writes (gradebook, results, the progress file);
- ``cli``: the thin ``course`` command over all of it.
"""

__version__ = "0.1.0"
