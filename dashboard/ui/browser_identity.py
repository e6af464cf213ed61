"""Which browser is this? The server-issued identity, checked on this connection.

The signed identity (:mod:`dashboard.core.identity`) arrives in the cookie
the browser sent when it opened this session's websocket
(``st.context.cookies``). A valid signature makes it this browser's identity;
anything else (no cookie, a forged or altered one) means a new browser, which
gets a new identity only if its client address still has new-browser slots
(:meth:`dashboard.core.polls.PollStore.admit_new_browser`). The browser is
asked to keep the new identity in its cookie (:mod:`dashboard.ui.cookies`),
and this session remembers it, so it holds from the first answer on.

The client address is ``st.context.ip_address``: the websocket's peer, which
behind ``make serve``'s nginx is the student's address, because uvicorn takes
``X-Forwarded-For`` from a proxy on 127.0.0.1 (its ``forwarded_allow_ips``
default) and from nobody else.
"""

from __future__ import annotations

import streamlit as st

from dashboard.core import identity
from dashboard.core.polls import PollLimitError, PollStore
from dashboard.ui import cookies, keys


def browser_id(store: PollStore) -> str:
    """The identity id of the browser of this session; issues one if it has none.

    Raises
    ------
    PollLimitError
        When the client address has had too many new browsers lately.
    identity.SecretError
        When the signing secret cannot be read (the caller shows it).
    """
    known = st.session_state.get(keys.POLL_BROWSER)
    if known:
        return str(known)
    signer = identity.default_signer()
    found = signer.verify(cookies.sent_cookie(identity.COOKIE))
    if found is not None:
        st.session_state[keys.POLL_BROWSER] = found.id
        return found.id
    address = st.context.ip_address
    if not isinstance(address, str):
        address = None  # loopback (or a test without a client)
    wait = store.admit_new_browser(identity.address_key(address))
    if wait:
        raise PollLimitError(
            "Many new browsers have joined from your network in the last few "
            f"minutes. Wait {round(wait)} s, then reload this page.",
            wait,
        )
    new = signer.issue()
    st.session_state[keys.POLL_BROWSER] = new.id
    cookies.remember(identity.COOKIE, new.token, identity.LIFETIME_S)
    return new.id
