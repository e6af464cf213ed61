"""Tripwires: every private Streamlit name the dashboard relies on still has its shape.

One test per row of ``dashboard/patches/contract.py``; a failure names the row,
what changed, and the upstream issue the row works around. Then the checker
itself is shown simulated upgrades (a renamed attribute, a new signature...),
and the installed Streamlit is checked against the pin and the table.
"""

from __future__ import annotations

import inspect
import re
import socket
from dataclasses import dataclass, replace
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.state.session_state import WStates

from dashboard.core.paths import PACKAGE_DIR, REPO_ROOT
from dashboard.patches import OPT_OUT, contract
from dashboard.patches.contract import CONTRACT, VERIFIED, Internal, problems
from dashboard.patches.shapes import (
    Fields,
    InstanceAttribute,
    PackageFile,
    Present,
    Signature,
    Source,
    resolve,
)
from dashboard.serving.streamlit_server import PATCHES_OPT_OUT


def _row(name: str) -> Internal:
    return next(row for row in CONTRACT if row.name == name)


BATCHING_CALL = "streamlit.runtime.app_session.AppSession._call_soon_on_event_loop"
EVENT_LOOP = "streamlit.runtime.app_session.AppSession._event_loop"
WIDGET_GETITEM = "streamlit.runtime.state.session_state.WStates.__getitem__"


# -- the tripwires -----------------------------------------------------------
@pytest.mark.parametrize("row", CONTRACT, ids=lambda row: row.name)
def test_streamlit_still_has_the_shape_we_rely_on(row: Internal) -> None:
    assert problems([row]) == []


# -- the table itself --------------------------------------------------------
def test_each_private_name_is_listed_once() -> None:
    names = [row.name for row in CONTRACT]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("row", CONTRACT, ids=lambda row: row.name)
def test_each_row_says_why_where_upstream_and_until_when(row: Internal) -> None:
    assert row.purpose
    assert row.remove_when
    assert row.verified == VERIFIED
    assert row.upstream == "none filed" or "#" in row.upstream, row.upstream
    first_user = re.split(r"[,;]", row.used_by)[0].strip()
    assert (REPO_ROOT / first_user).is_file(), first_user


def test_every_patch_module_has_its_names_in_the_table() -> None:
    users = {row.used_by.split(",")[0] for row in CONTRACT}
    for module in ("tcp", "batching", "closed_endpoints", "client_errors"):
        assert f"dashboard/patches/{module}.py" in users, module


def test_every_private_streamlit_import_of_the_app_is_in_the_table() -> None:
    """A new ``from streamlit.x import y`` in the dashboard needs a row."""
    public = {"streamlit", "streamlit.testing.v1", "streamlit.components.v1"}
    listed = {row.name for row in CONTRACT}
    unlisted = []
    for path in PACKAGE_DIR.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] != ["from"] or not words[1].startswith("streamlit."):
                continue
            if words[1] in public or "import" not in words:
                continue
            module = words[1]
            if not any(name.startswith(module) for name in listed):
                unlisted.append(f"{path.relative_to(PACKAGE_DIR)}: {line.strip()}")
    assert unlisted == []


# -- the checker, shown simulated upgrades -----------------------------------
def _only_problem(row: Internal) -> str:
    found = problems([row])
    assert len(found) == 1
    assert found[0].startswith(row.name)
    assert row.upstream in found[0]
    assert row.used_by in found[0]
    return found[0]


def test_a_renamed_instance_attribute_is_reported(monkeypatch) -> None:
    def renamed(self, *args, **kwargs) -> None:  # a release that renamed it
        self._loop = None

    monkeypatch.setattr(AppSession, "__init__", renamed)
    message = _only_problem(_row(EVENT_LOOP))
    assert "no longer set" in message


def test_a_method_with_new_parameters_is_reported(monkeypatch) -> None:
    def reshaped(self, callback, *, context=None) -> None:
        pass

    monkeypatch.setattr(AppSession, "_call_soon_on_event_loop", reshaped)
    message = _only_problem(_row(BATCHING_CALL))
    assert "takes (self, callback, context)" in message


def test_a_renamed_parameter_is_reported(monkeypatch) -> None:
    def renamed(self, key):
        return None

    monkeypatch.setattr(WStates, "__getitem__", renamed)
    assert "takes (self, key)" in _only_problem(_row(WIDGET_GETITEM))


def test_a_removed_method_is_reported(monkeypatch) -> None:
    monkeypatch.delattr(AppSession, "_call_soon_on_event_loop")
    message = _only_problem(_row(BATCHING_CALL))
    assert "is gone" in message
    assert "_call_soon_on_event_loop" in message


def test_a_missing_module_is_reported() -> None:
    row = replace(_row(BATCHING_CALL), name="streamlit.runtime.no_such_module.Thing")
    assert "is gone" in _only_problem(row)


def test_text_gone_from_the_source_is_reported() -> None:
    row = replace(_row(BATCHING_CALL), shape=Source(("no such text anywhere",)))
    assert "no longer contains" in _only_problem(row)


def test_a_missing_protobuf_field_is_reported() -> None:
    row = replace(_row(BATCHING_CALL), name="streamlit.proto.BackMsg_pb2.BackMsg")
    row = replace(row, shape=Fields(("rerun_script", "teleport")))
    assert "'teleport'" in _only_problem(row)


def test_a_changed_type_and_a_missing_file_are_reported() -> None:
    base = _row(BATCHING_CALL)
    constant = replace(
        base,
        name="streamlit.web.server.starlette.starlette_routes.ROUTE_METRICS",
        shape=Present(int),
    )
    assert "expected a int" in _only_problem(constant)
    missing = replace(base, name="streamlit", shape=PackageFile("static/nope.html"))
    assert "has no static/nope.html" in _only_problem(missing)


def test_every_row_holds_so_the_table_reports_nothing() -> None:
    assert problems(CONTRACT) == []


def test_shapes_read_what_they_promise() -> None:
    set_nodelay = resolve("asyncio.base_events._set_nodelay")
    assert Signature(("sock",)).check(set_nodelay) is None
    assert Signature(("x",)).check(42) == "is no longer callable (int)"
    assert InstanceAttribute().check(socket.socket, "anything") is not None
    assert InstanceAttribute().check(42, "x") is not None

    @dataclass
    class Row:
        kept: int

    assert InstanceAttribute().check(Row, "kept") is None
    assert InstanceAttribute().check(Row, "gone") is not None
    assert Source(("def resolve",)).check(inspect.getmodule(resolve)) is None


# -- the version pin ---------------------------------------------------------
def _declared_streamlit() -> Requirement:
    text = (REPO_ROOT / "requirements.txt").read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("streamlit"):
            return Requirement(line)
    raise AssertionError("requirements.txt declares no streamlit")


def test_installed_streamlit_is_inside_the_pinned_range() -> None:
    installed = Version(version("streamlit"))
    assert _declared_streamlit().specifier.contains(installed), installed


def test_the_pin_admits_only_the_verified_minor_version() -> None:
    verified = Version(VERIFIED)
    specifier = _declared_streamlit().specifier
    major, minor = verified.release[:2]
    assert specifier.contains(verified)
    assert specifier.contains(f"{major}.{minor}.99")
    assert not specifier.contains(f"{major}.{minor + 1}.0")
    assert not specifier.contains(f"{major}.{minor - 1}.99")


def test_installed_streamlit_is_the_minor_version_the_table_was_verified_with() -> None:
    installed = Version(version("streamlit"))
    assert installed.release[:2] == Version(VERIFIED).release[:2], (
        f"Streamlit {installed} is installed; dashboard/patches/contract.py was "
        f"verified with {VERIFIED}. Re-check every row, then update VERIFIED."
    )


def test_the_launch_helpers_spell_the_opt_out_variable_like_the_patches() -> None:
    assert PATCHES_OPT_OUT == OPT_OUT
    assert contract.__name__ == "dashboard.patches.contract"
