"""The production settings in `.streamlit/config.toml`, one by one.

Each is a setting Streamlit knows (a misspelt option is silently ignored, so
the name is checked against Streamlit's own option table), set to the value a
lecture hall needs. Why each matters: the comments in the file and the README.
"""

from __future__ import annotations

import tomllib

import pytest
from streamlit import config as streamlit_config

from dashboard.core.paths import REPO_ROOT

CONFIG = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())

EXPECTED = {
    # speed: the two settings that dominate a full class (README, Speed)
    "server.fileWatcherType": "none",
    "runner.postScriptGC": False,
    "server.runOnSave": False,
    # a server, not a desktop app
    "server.headless": True,
    "browser.gatherUsageStats": False,
    # students never see tracebacks or developer menus
    "client.showErrorDetails": "none",
    "client.toolbarMode": "viewer",
    # request forgery and cross-origin protection stay on
    "server.enableXsrfProtection": True,
    "server.enableCORS": True,
    "server.enableStaticServing": False,
    # limits as small as the dashboard allows (it takes no uploads)
    "server.maxUploadSize": 1,
    "server.maxMessageSize": 4,
    "server.maxWidgetStateSize": 1,
}


def _value(option: str) -> object:
    section, name = option.split(".")
    return CONFIG[section][name]


@pytest.mark.parametrize(("option", "value"), EXPECTED.items(), ids=list(EXPECTED))
def test_production_setting(option: str, value: object) -> None:
    assert option in streamlit_config._config_options_template, "unknown option"
    assert _value(option) == value


def test_every_setting_in_the_file_is_one_streamlit_knows() -> None:
    options = [
        f"{section}.{name}" for section, values in CONFIG.items() for name in values
    ]
    unknown = [o for o in options if o not in streamlit_config._config_options_template]
    assert unknown == []


def test_limits_are_smaller_than_streamlits_defaults() -> None:
    template = streamlit_config._config_options_template
    for option in ("server.maxUploadSize", "server.maxMessageSize"):
        assert _value(option) < template[option].default_val, option
