"""Where case checks look things up: data rows, content sections, page parameters.

:class:`Library` loads each dataset of ``content/data`` once, on first use, and
reads content section titles for links; :data:`LINK_PARAMS` lists the URL
parameters each page binds to a control, which a link from a case may set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.core.content import (
    ContentError,
    page_folder,
    section_slug,
    split_front_matter,
)
from dashboard.core.datasets import DataError, load_dataset
from dashboard.core.schemas import SCHEMAS
from dashboard.core.site import heading_anchor
from dashboard.core.textfiles import UnreadableFileError, read_utf8

#: URL parameters each page binds to a control (names from dashboard.ui.keys;
#: a unit test checks they are still keys there). ``present`` works everywhere.
LINK_PARAMS: dict[str, frozenset[str]] = {
    "nephrotic-syndrome": frozenset(
        {"ns_driver", "ns_proteinuria", "ns_albumin", "ns_definition_group"}
    ),
    "mechanism": frozenset({"mech_lane", "mech_step", "mech_drug"}),
    "efficacy": frozenset(
        {"eff_disease", "eff_comparator", "eff_designs", "eff_outcome", "eff_timepoint"}
    ),
    "monitoring": frozenset(
        {
            "pk_weight",
            "pk_dose",
            "pk_interval",
            "pk_genotype",
            "pk_band",
            "pk_days",
            "pk_drug",
            "pk_start",
            "pk_view",
        }
    ),
    "presenter-view": frozenset({"pv_page"}),
}
ANY_PAGE_PARAMS = frozenset({"present"})


@dataclass
class Library:
    """Where checks look things up: data CSVs, references, content sections.

    Datasets are loaded once each, on first use; a dataset that breaks its
    contract is remembered as its error message, so every case citing it
    reports that message and no other case is affected.
    """

    data_dir: Path
    content_dir: Path
    _frames: dict[str, pd.DataFrame | str] = field(default_factory=dict)
    _titles: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def frame(self, dataset: str) -> pd.DataFrame | str:
        """The dataset, or why it cannot be used."""
        if dataset not in self._frames:
            if dataset not in SCHEMAS:
                self._frames[dataset] = f"no dataset {dataset!r} in content/data"
            else:
                try:
                    self._frames[dataset] = load_dataset(
                        SCHEMAS[dataset], self.data_dir
                    )
                except DataError as error:
                    self._frames[dataset] = str(error)
        return self._frames[dataset]

    def row(self, dataset: str, row_id: str) -> dict[str, Any] | str:
        """The row ``row_id`` of ``dataset`` as a dict, or why there is none."""
        frame = self.frame(dataset)
        if isinstance(frame, str):
            return frame
        found = frame[frame["id"].astype(str) == row_id]
        if found.empty:
            return f"{dataset}.csv has no row with id {row_id!r}"
        return found.iloc[0].to_dict()

    def section_title(self, page: str, section: str) -> str | None:
        """The heading of a page's content section, or ``None`` if none is found."""
        key = (page, section)
        if key not in self._titles:
            folder = page_folder(self.content_dir, page)
            title = None
            for path in sorted(folder.glob("*.md")):
                if section_slug(path) == section:
                    try:
                        front, _ = split_front_matter(read_utf8(path), file=path.name)
                    except (ContentError, UnreadableFileError):
                        continue
                    found = front.get("title")
                    title = found if isinstance(found, str) and found else None
            self._titles[key] = title
        return self._titles[key]


def anchor(library: Library, page: str, section: str) -> str | None:
    """The ``#anchor`` Streamlit gives the section's heading."""
    title = library.section_title(page, section)
    return None if title is None else heading_anchor(title)
