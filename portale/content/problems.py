"""Problems found in the content, reported to editors as `path:line: messaggio`."""

from __future__ import annotations

from dataclasses import dataclass

GUIDE = "docs/guida-redazione.md"  # the editors' guide: one section per problem code, anchored by the code


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, e.g. "content/aurora/storie/festa.md"
    line: int  # 1-based; 0 when the problem concerns the whole file or folder
    message: str  # Italian, for the editor
    hint: str = ""  # Italian: how to fix it
    code: str = ""  # short rule code, the anchor of the rule in docs/guida-redazione.md
    warning: bool = False  # warnings are printed but do not stop the build

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def guide(self) -> str:
        """The section of the editors' guide that explains this rule, e.g. docs/guida-redazione.md#data."""
        return f"{GUIDE}#{self.code}" if self.code else ""

    def explain(self) -> str:
        """Message and hint, without the place: `messaggio — suggerimento`."""
        return self.message + (f" — {self.hint}" if self.hint else "")

    def format(self) -> str:
        text = f"{self.where}: {'avviso: ' if self.warning else ''}{self.explain()}"
        if self.code:
            text += f" (guida: {self.guide})"
        return text


class ContentError(Exception):
    """Raised when the content has errors: nothing is written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.errors)} problemi nel contenuto")

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


class Problems:
    """Collects problems for one file: `add(line, message, hint, code)`."""

    def __init__(self, path: str, sink: list[Problem]):
        self.path = path
        self.sink = sink

    def error(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.sink.append(Problem(self.path, line, message, hint, code))

    def warn(self, line: int, message: str, hint: str = "", code: str = "") -> None:
        self.sink.append(Problem(self.path, line, message, hint, code, warning=True))
