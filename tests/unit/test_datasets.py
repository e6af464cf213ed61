"""The data contract: the validator names file, line and column of every problem."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core.datasets import (
    SOURCE_COLUMNS,
    Column,
    DataError,
    Schema,
    describe_schema,
    load_dataset,
    read_raw_csv,
    validate_frame,
    validate_schema_definition,
)

SCHEMA = Schema(
    name="toy",
    description="A toy dataset.",
    key=("id",),
    columns=(
        Column("id", "str", "Identifier.", pattern=re.compile(r"[a-z]+")),
        Column("group", "str", "Group.", allowed=("a", "b")),
        Column("share", "float", "Share.", "%", minimum=0, maximum=100),
        Column("n", "int", "Count.", required=False, minimum=1),
        Column("flag", "bool", "Flag.", required=False),
        *SOURCE_COLUMNS,
    ),
)
GOOD = (
    "id,group,share,n,flag,source,source_url,read_at,checked,attribution\n"
    "x,a,10.5,3,true,Someone 2020,PMID 12345678,,2026-12,primary\n"
    "y,b,0,,false,Body 2021,https://kdigo.org/page,https://m.example/1,2026-12-04,"
    "secondary\n"
    "z,a,100,7,,Other 2022,doi:10.1000/xyz123,,2025-01,unattributed\n"
)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "toy.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = _write(tmp_path, text) / "toy.csv"
    _, problems = validate_frame(read_raw_csv(path), SCHEMA, file="toy.csv")
    return [str(p) for p in problems]


def test_good_file_loads_with_types(tmp_path: Path) -> None:
    frame = load_dataset(SCHEMA, _write(tmp_path, GOOD))
    assert list(frame.columns) == [c.name for c in SCHEMA.columns]
    assert frame["share"].tolist() == [10.5, 0.0, 100.0]
    assert frame["n"].isna().tolist() == [False, True, False]
    assert frame["flag"].tolist()[:2] == [True, False]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "x,a,10.5",
            "x,c,10.5",
            "toy.csv, line 2, column 'group': 'c' is not one of a, b",
        ),
        ("x,a,10.5", "x,a,ten", "line 2, column 'share': expected a number"),
        ("x,a,10.5", "x,a,101", "line 2, column 'share': 101.0 % is above the maximum"),
        ("x,a,10.5", "x,a,-1", "is below the minimum"),
        ("x,a,10.5", "x,a,nan", "expected a finite number"),
        (",3,true", ",3.5,true", "line 2, column 'n': expected a whole number"),
        ("3,true,", "3,maybe,", "line 2, column 'flag': expected true or false"),
        (
            "Someone 2020,PMID 12345678",
            ",PMID 12345678",
            "line 2, column 'source': empty",
        ),
        (
            "PMID 12345678",
            "see the paper",
            "column 'source_url': 'see the paper' does not",
        ),
        ("y,b,0", "x,b,0", "line 3, column 'id': duplicate key 'x'"),
        ("x,a,10.5", "X1,a,10.5", "line 2, column 'id': 'X1' does not match"),
    ],
)
def test_each_bad_cell_is_reported_with_its_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = _problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_missing_and_unknown_columns_are_reported(tmp_path: Path) -> None:
    text = GOOD.replace("group,", "grp,", 1)
    problems = _problems(tmp_path, text)
    assert "toy.csv, line 1, column 'group': required column is missing" in problems
    assert "toy.csv, line 1, column 'grp': column is not in the schema" in problems


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    text = GOOD.replace("x,a,10.5", "x,c,ten").replace("y,b,0", "y,b,200")
    assert len(_problems(tmp_path, text)) == 3


def test_header_only_file_is_an_error(tmp_path: Path) -> None:
    assert _problems(tmp_path, GOOD.splitlines()[0] + "\n") == [
        "toy.csv: the file has no rows"
    ]


@pytest.mark.parametrize("text", ["", 'id,group\n"unclosed,a\n'])
def test_unreadable_file_raises_data_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(DataError, match=r"toy\.csv"):
        load_dataset(SCHEMA, _write(tmp_path, text))


def test_missing_file_raises_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"toy\.csv: file not found"):
        load_dataset(SCHEMA, tmp_path)


def test_load_raises_with_all_problems_in_message(tmp_path: Path) -> None:
    with pytest.raises(DataError) as error:
        load_dataset(SCHEMA, _write(tmp_path, GOOD.replace("x,a,10.5", "x,c,ten")))
    assert len(error.value.problems) == 2
    assert "line 2, column 'group'" in str(error.value)


def test_schema_without_provenance_is_flagged() -> None:
    bare = Schema("bare", "No sources.", (Column("id", "str", "Identifier."),))
    mistakes = validate_schema_definition(bare)
    assert "bare: schema lacks the 'source' column" in mistakes
    assert "bare: schema lacks the 'source_url' column" in mistakes
    assert validate_schema_definition(SCHEMA) == []


def test_describe_schema_lists_rules() -> None:
    rows = {r["column"]: r for r in describe_schema(SCHEMA)}
    assert rows["group"]["rule"] == "one of: a, b"
    assert rows["share"]["unit"] == "%"
    assert rows["share"]["rule"] == "0 to 100"


def test_frame_with_whitespace_cells_is_trimmed(tmp_path: Path) -> None:
    frame = load_dataset(SCHEMA, _write(tmp_path, GOOD.replace("x,a,", "x, a ,")))
    assert frame.loc[0, "group"] == "a"
    assert isinstance(frame, pd.DataFrame)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "https://kdigo.org/page",
            "http://47.251.13.51:8081/1",
            "line 3, column 'source_url': 47.251.13.51 is a bare IP address",
        ),
        ("2026-12,primary", "Dec 2026,primary", "column 'checked': 'Dec 2026'"),
        ("2026-12,primary", "2026-13,primary", "column 'checked': '2026-13'"),
        ("2026-12,primary", "2026-12,", "line 2, column 'attribution': empty"),
        ("2026-12,primary", "2026-12,mirror", "'mirror' is not one of primary"),
    ],
)
def test_provenance_columns_are_checked(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    problems = _problems(tmp_path, GOOD.replace(old, new, 1))
    assert any(expected in p for p in problems), problems


def test_columns_are_read_by_name_not_position(tmp_path: Path) -> None:
    """A file whose columns are in another order still loads each into its place."""
    raw = pd.read_csv(_write(tmp_path, GOOD) / "toy.csv", dtype=str)
    raw[list(reversed(raw.columns))].to_csv(tmp_path / "toy.csv", index=False)
    frame = load_dataset(SCHEMA, tmp_path)
    assert frame["share"].tolist() == [10.5, 0.0, 100.0]
    assert frame["attribution"].tolist() == ["primary", "secondary", "unattributed"]


def _only_problem(directory: Path) -> str:
    with pytest.raises(DataError) as error:
        load_dataset(SCHEMA, directory)
    (problem,) = error.value.problems
    return str(problem)


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    data = GOOD.replace("Body 2021", "Bödy 2021").encode("latin-1")
    (tmp_path / "toy.csv").write_bytes(data)
    problem = _only_problem(tmp_path)
    assert problem.startswith("toy.csv, line 3: not a readable CSV: not valid UTF-8")
    assert "0xf6" in problem


def test_a_file_cut_inside_a_quoted_cell_names_the_line(tmp_path: Path) -> None:
    text = GOOD + 'w,a,5,,,"Author, A. 2023'
    problem = _only_problem(_write(tmp_path, text))
    assert problem == (
        "toy.csv, line 5: not a readable CSV: a quoted cell that starts on this "
        "line is never closed (was the file cut off?)"
    )


def test_a_file_cut_mid_row_names_the_line_of_the_short_row(tmp_path: Path) -> None:
    cut = GOOD[: GOOD.index(",2025-01")]
    with pytest.raises(DataError) as error:
        load_dataset(SCHEMA, _write(tmp_path, cut))
    assert {p.line for p in error.value.problems} == {4}
    assert "toy.csv, line 4, column 'checked': empty cell" in str(error.value)


def test_a_row_with_too_many_cells_names_its_line(tmp_path: Path) -> None:
    text = GOOD + "w,a,5,,,S 2020,PMID 12345678,,2026-12,primary,extra,more\n"
    problem = _only_problem(_write(tmp_path, text))
    assert problem.startswith("toy.csv, line 5: not a readable CSV: this row has 12")


def test_a_file_that_cannot_be_opened_is_a_data_error(tmp_path: Path) -> None:
    (tmp_path / "toy.csv").mkdir()
    assert _only_problem(tmp_path) == "toy.csv: cannot be read: Is a directory"


def test_windows_line_ends_and_a_byte_order_mark_still_load(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    (tmp_path / "toy.csv").write_bytes(data)
    frame = load_dataset(SCHEMA, tmp_path)
    assert frame["id"].tolist() == ["x", "y", "z"]
    assert frame["attribution"].tolist()[-1] == "unattributed"
