"""Frozen: the small immutable records on every command's start-up path, without @dataclass.

A @dataclass compiles its __init__, __repr__, __eq__, __hash__ and
__setattr__ from source text each time its module is imported (nothing of it
is kept in the .pyc): about half a millisecond a class, and a `pipeline list`
met a dozen of them before its first row. The records it meets (Stage, Field,
Style, Message, Filters...) are written this way instead:

    class Style(Frozen):
        __slots__ = ("lang", "color", "header")
        lang: str
        color: bool
        header: bool

        def __init__(self, lang: str = "en", color: bool = False, header: bool = True) -> None:
            self._set(lang=lang, color=color, header=header)

Each names its fields in `__slots__` and takes them by those names in a
typed __init__, which sets each one once (tests/test_frozen.py checks that
they match); equality, hashing, repr, `replace` and refusing assignment come
from here, by the fields' values, as a frozen dataclass's do.
"""

from __future__ import annotations

from typing import Any, NoReturn, Self


class Frozen:
    __slots__: tuple[str, ...] = ()

    def _set(self, **values: object) -> None:
        """Set every field, each by its name: only __init__ calls this."""
        if values.keys() != set(self.__slots__):
            raise TypeError(f"{type(self).__name__} sets {sorted(values)}, not its fields {sorted(self.__slots__)}")
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def as_dict(self) -> dict[str, Any]:
        """The fields by name (a dataclass's __dict__)."""
        return {name: getattr(self, name) for name in self.__slots__}

    def replace(self, **changes: Any) -> Self:
        """A copy with some fields changed (dataclasses.replace): made by __init__, so checked as it is."""
        return type(self)(**self.as_dict() | changes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frozen) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({shown})"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"cannot delete field {name!r} of a {type(self).__name__}")
