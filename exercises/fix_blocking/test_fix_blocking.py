"""Public tests for fix_blocking: run them with `make check`.

They run on a *virtual clock*: `asyncio.sleep(1)` takes no real time, and `now()` reads the event
loop's clock exactly (a sleep of 0.5 s ends at `now() == 0.5`). A `time.sleep` is not on that clock:
it really blocks, and the grader reports the line that did it.
"""

import asyncio

import pytest

from grader.testing import now

pytestmark = pytest.mark.exercise("fix_blocking")


@pytest.mark.points(1)
async def test_fetch_returns_the_page_body(student):
    try:
        async with asyncio.timeout(10):
            body = await student.fetch("example.com", 1.0)
    except TimeoutError:
        pytest.fail("fetch('example.com', 1.0) was still running after 10 s")
    assert body == "<html>example.com</html>", (
        f"fetch('example.com', 1.0) returned {body!r}; expected '<html>example.com</html>'"
    )


@pytest.mark.points(1)
async def test_fetch_all_downloads_at_the_same_time(student):
    urls = [f"site{i}.org" for i in range(100)]
    try:
        # Twice the latency is plenty: 100 downloads at the same time take 0.01 s in all.
        async with asyncio.timeout(0.02):
            bodies = await student.fetch_all(urls, 0.01)
    except TimeoutError:
        pytest.fail(
            "fetch_all(100 urls, latency=0.01) was still running after 0.02 s: 100 downloads "
            "at the same time should take 0.01 s in all. Are they running one after another, "
            "or a few at a time?"
        )
    assert now() == 0.01, (
        f"fetch_all(100 urls, latency=0.01) took {now()} s; 100 downloads at the same time "
        f"should take 0.01 s in all"
    )
    # The order of the bodies is checked by test_fetch_all_keeps_the_order_of_urls.
    assert sorted(bodies) == sorted(f"<html>{url}</html>" for url in urls), (
        "fetch_all should return one body per url"
    )


@pytest.mark.points(1)
async def test_fetch_all_keeps_the_order_of_urls(student):
    # Replace the module's fetch with a fake whose downloads finish in the reverse order.
    # fetch_all looks `fetch` up when it runs, so it calls this fake.
    delays = {"slow.com": 3.0, "medium.com": 2.0, "fast.com": 1.0}

    async def fake_fetch(url, latency):
        await asyncio.sleep(delays[url])
        return f"<html>{url}</html>"

    student.fetch = fake_fetch
    try:
        async with asyncio.timeout(10):
            bodies = await student.fetch_all(["slow.com", "medium.com", "fast.com"], 1.0)
    except TimeoutError:
        pytest.fail("fetch_all was still running after 10 s; its slowest download takes 3 s")
    expected = ["<html>slow.com</html>", "<html>medium.com</html>", "<html>fast.com</html>"]
    assert bodies == expected, (
        f"fetch_all returned {bodies}: return the bodies in the order of `urls`, not in the "
        f"order the downloads finished"
    )
