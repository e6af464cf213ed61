"""TCP_NODELAY on connections accepted by a socket created the way Streamlit does."""

from __future__ import annotations

import asyncio
import asyncio.base_events
import concurrent.futures
import socket

import pytest

from dashboard.patches import tcp


async def _accepted_nodelay() -> int:
    listener = socket.socket(family=socket.AF_INET)  # proto 0, as Streamlit 1.67
    listener.bind(("127.0.0.1", 0))
    accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    async def handle(reader, writer) -> None:
        sock = writer.get_extra_info("socket")
        accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(handle, sock=listener)
    port = listener.getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    value = await asyncio.wait_for(accepted, 5)
    writer.close()
    server.close()
    await server.wait_closed()
    return value


def _run_in_own_thread() -> int:
    """Run the probe in a thread of its own: this one may hold an event loop
    already (Playwright's sync API leaves one behind after the browser tests).
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _accepted_nodelay()).result(timeout=30)


@pytest.fixture
def restore_asyncio():
    """Start from asyncio's own check (AppTests in this process may have run
    the dashboard, which replaces it), and put back what was there after."""
    current = asyncio.base_events._set_nodelay
    asyncio.base_events._set_nodelay = tcp.ASYNCIO_SET_NODELAY
    yield
    asyncio.base_events._set_nodelay = current


@pytest.mark.usefixtures("restore_asyncio")
def test_asyncio_alone_leaves_nagle_on_for_proto_zero_sockets() -> None:
    # The bug the module works around; if asyncio fixes it, this test says so.
    assert _run_in_own_thread() == 0


@pytest.mark.usefixtures("restore_asyncio")
def test_enable_nodelay_switches_nagle_off_for_accepted_connections() -> None:
    assert tcp.enable_nodelay() is True
    assert tcp.enable_nodelay() is True  # idempotent
    assert _run_in_own_thread() != 0
