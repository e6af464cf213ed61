"""An educator's own question: checked, and shown without markup, links or HTML."""

from __future__ import annotations

import pytest

from dashboard.core.poll_text import (
    LIMITS,
    MAX_OWN_OPTIONS,
    WORD_JOINER,
    chart_text,
    clean,
    csv_text,
    own_question,
    plain_markdown,
)
from dashboard.core.polls import PollError

HOSTILE = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](https://evil.example)",
    "https://evil.example/path",
    "www.evil.example",
    "mail me@evil.example",
    ":red[red text] :material/home:",
    "**bold** _it_ `code` $x^2$ ~~gone~~",
    "# heading",
    "- a list",
    "1. a numbered list",
    "> quote",
    "| a | b |",
    "&lt;b&gt; entity",
    "![image](https://evil.example/x.png)",
)


def test_a_question_is_cleaned_and_its_empty_option_fields_dropped() -> None:
    question = own_question(
        "  What\nhappens\u202e next?  ",
        ["", "Growth stops", "  ", "Growth\tgoes on"],
        3,
        explanation="",
        source=" Notes ",
    )
    assert question.stem == "What happens next?"
    assert question.options == ("Growth stops", "Growth goes on")
    assert question.correct == 1
    assert question.explanation is None
    assert question.source == "Notes"


@pytest.mark.parametrize(
    ("stem", "options", "correct", "message"),
    [
        ("", ["a", "b"], 0, "Write the question's stem"),
        ("x" * (LIMITS["stem"] + 1), ["a", "b"], 0, "keep it to 300"),
        ("Q?", ["a"], 0, "Give 2 to 5 options"),
        ("Q?", ["a", "b", "c", "d", "e", "f"], 0, "Give 2 to 5 options"),
        ("Q?", ["a", "A "], 0, "Two options say the same"),
        ("Q?", ["a", "b", ""], 2, "Mark which option is correct"),
        ("Q?", ["a", "y" * (LIMITS["option"] + 1)], 0, "option 2 is 121"),
    ],
)
def test_unusable_questions_are_refused_plainly(
    stem, options, correct, message
) -> None:
    with pytest.raises(PollError, match=message):
        own_question(stem, options, correct)


def test_explanation_and_source_have_limits_too() -> None:
    with pytest.raises(PollError, match="explanation is 601"):
        own_question("Q?", ["a", "b"], 0, explanation="e" * 601)
    with pytest.raises(PollError, match="source is 301"):
        own_question("Q?", ["a", "b"], 0, source="s" * 301)
    assert MAX_OWN_OPTIONS == 5


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_markdown_escapes_every_markup_character(text) -> None:
    shown = plain_markdown(text)
    unescaped = shown.replace("\\\\", "")
    for char in "<>[]`*_$~#|:&!":
        assert char not in unescaped.replace(f"\\{char}", "")
    assert "www." not in shown.lower()
    assert "://" not in shown.replace("\\", "").replace(WORD_JOINER, " ")
    assert ":" not in shown.replace(f"\\:{WORD_JOINER}", "")
    assert "\n" not in shown
    assert not shown.startswith(("-", "1.", ">"))


def test_ordinary_prose_is_left_as_it_is() -> None:
    text = "Which drug binds FKBP-12, and why? (Give one answer.)"
    assert plain_markdown(text) == text


def test_chart_and_csv_text_are_safe_too() -> None:
    assert chart_text('<a href="x">y</a>') == '‹a href="x"›y‹/a›'
    assert csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_text("-2+3") == "'-2+3"
    assert csv_text("Plain") == "Plain"
    assert clean("a\x00b\u200bc") == "abc"
