"""What must still hold of a private name in :mod:`dashboard.patches.contract`.

Each shape checks one kind of reliance: a callable's parameters, a name's
presence (and type), text in an object's source, a protobuf message's fields,
an attribute every instance gets, a file shipped inside a package.
``check`` returns what is wrong, or None.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Signature:
    """A callable whose parameters are exactly ``params`` (names, in order)."""

    params: tuple[str, ...]

    def check(self, found: Any) -> str | None:
        """What is wrong with ``found``, or None."""
        if not callable(found):
            return f"is no longer callable ({type(found).__name__})"
        try:
            names = tuple(inspect.signature(found).parameters)
        except (TypeError, ValueError):
            return "has no readable signature"
        if names != self.params:
            return f"takes ({', '.join(names)}), expected ({', '.join(self.params)})"
        return None


@dataclass(frozen=True)
class Present:
    """A name that exists (and is an instance of ``kind``, when given)."""

    kind: type | None = None

    def check(self, found: Any) -> str | None:
        """What is wrong with ``found``, or None."""
        if self.kind is not None and not isinstance(found, self.kind):
            return f"is a {type(found).__name__}, expected a {self.kind.__name__}"
        return None


@dataclass(frozen=True)
class Source:
    """An object (function, class or module) whose source still contains ``texts``."""

    texts: tuple[str, ...]

    def check(self, found: Any) -> str | None:
        """What is wrong with ``found``, or None."""
        try:
            source = inspect.getsource(found)
        except (OSError, TypeError):
            return "has no readable source"
        missing = [text for text in self.texts if text not in source]
        return f"no longer contains {missing!r}" if missing else None


@dataclass(frozen=True)
class Fields:
    """A protobuf message class that still has the fields ``names``."""

    names: tuple[str, ...]

    def check(self, found: Any) -> str | None:
        """What is wrong with ``found``, or None."""
        descriptor = getattr(found, "DESCRIPTOR", None)
        have = set(getattr(descriptor, "fields_by_name", ()))
        missing = [name for name in self.names if name not in have]
        return f"has no field(s) {missing!r}" if missing else None


@dataclass(frozen=True)
class InstanceAttribute:
    """An attribute every instance of the owner class gets.

    A dataclass field, or assigned as ``self.<name>`` in ``__init__``; the row
    names the owner, then the attribute.
    """

    def check(self, owner: Any, attribute: str) -> str | None:
        """What is wrong with ``owner``'s instances, or None."""
        if not inspect.isclass(owner):
            return f"owner {owner!r} is not a class"
        if dataclasses.is_dataclass(owner):
            if attribute in {field.name for field in dataclasses.fields(owner)}:
                return None
            return "is no longer a field of the dataclass"
        try:
            source = inspect.getsource(owner.__init__)
        except (OSError, TypeError):
            return "owner's __init__ has no readable source"
        if re.search(rf"self\.{re.escape(attribute)}\s*[:=]", source):
            return None
        return "is no longer set in the owner's __init__"


@dataclass(frozen=True)
class PackageFile:
    """A file inside the named package's folder."""

    path: str

    def check(self, found: Any) -> str | None:
        """What is wrong with package ``found``, or None."""
        folder = Path(getattr(found, "__file__", "") or ".").parent
        return None if (folder / self.path).is_file() else f"has no {self.path}"


Shape = Signature | Present | Source | Fields | InstanceAttribute | PackageFile


def resolve(name: str) -> Any:
    """The object a dotted name stands for.

    The longest prefix that imports as a module, then attributes.

    Raises
    ------
    LookupError
        If no prefix imports, or an attribute is missing (the message says which).
    """
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        module_name = ".".join(parts[:cut])
        try:
            found = importlib.import_module(module_name)
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                raise LookupError(f"{module_name}: has no attribute {attribute!r}")
            found = getattr(found, attribute)
            module_name = f"{module_name}.{attribute}"
        return found
    raise LookupError(f"cannot import {parts[0]!r}")
