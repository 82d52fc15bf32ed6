"""Stage 1, load: `content/` -> sources (path, kind, front matter with the line of each value, body).

Nothing here judges the content; reading problems (encoding, YAML syntax, file size) are
returned beside the sources so that validation can report them all at once.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from portale.content import frontmatter, languages
from portale.content.dictionary import Dictionary
from portale.content.frontmatter import Map, YamlProblem
from portale.content.memo import Memo, code_version, hash_key
from portale.content.problems import Problem

MAX_FILE_BYTES = 1024 * 1024  # a story of a million bytes is a mistake (a pasted PDF, an image)

# Folders of a territory and the kind of content each holds.
KIND_FOLDERS = {"storie": "storia", "persone": "persona", "bisogni": "bisogno", "azioni": "azione"}
FOLDER_OF = {kind: folder for folder, kind in KIND_FOLDERS.items()}  # storia -> storie
# The files of content/ itself: the portal, the vocabulary of saperi, the dictionary and the services' vocabulary.
TOP_FILES = ("portale.yml", "saperi.yml", "parole.yml", "servizi.yml")


@dataclass
class Source:
    path: Path  # absolute
    rel: str  # as shown to editors: "content/aurora/storie/festa.md"
    kind: str  # territorio | storia | persona | bisogno | azione
    territory: str  # folder name of the territory
    slug: str
    body: str
    body_line: int
    digest: str  # sha256 of the file's bytes
    bundle: Path | None = None  # folder of a page bundle (storie/<slug>/index.md), for images and audio
    # A translation's language, from its file name (storie/<slug>.ar.md, storie/<slug>/index.ar.md); "" for an original.
    translation: str = ""
    original: Source | None = None  # a translation's original, found by validate.check (never remembered)
    duplicate_keys: list[tuple[int, str]] = field(default_factory=list)
    data: dict = field(default_factory=dict)  # checked front matter, filled by validate.check
    memo_key: str = ""  # what the file's results are remembered by in the build cache (memo.py)
    local_problems: list[Problem] | None = None  # the problems of the file alone: from the memo, or by validate.check
    memo_entry: dict | None = None  # the file's memo entry (memo.py), filled by the stages; None without a memo
    memo_dirty: bool = False  # a stage changed the entry: memo.save stores it
    prints: tuple[str, str] | None = None  # hashes of the published values and body (inputs.py), when remembered
    body_html: str | None = None  # sanitised HTML of the body, filled by markup.render_bodies
    parsed_meta: Map | None = None  # the front matter (`meta`), once read or needed
    # The front matter as the memo keeps it, pickled: unpickled only when a stage needs it (`meta`). Its values carry
    # their lines, and making those objects again for every unchanged file was a third of reading the files.
    pickled_meta: bytes | None = None

    @property
    def meta(self) -> Map:
        if self.parsed_meta is None:
            self.parsed_meta = pickle.loads(self.pickled_meta)
        return self.parsed_meta

    def language(self, default: str) -> str:
        """The language the text is written in: a translation's file name says it, an original its `lingua`."""
        return languages.normalise(self.translation) if self.translation else self.data.get("lingua", default)

    def recall(self, part: str, signature: str | None = None) -> dict | None:
        """A part of the file's memo entry (memo.py): None when there is none, or none made under `signature`."""
        known = self.memo_entry.get(part) if self.memo_entry is not None else None
        if known is None or (signature is not None and known.get("signature") != signature):
            return None
        return known

    def remember(self, part: str, value: dict) -> None:
        """Set a part of the file's memo entry; memo.save stores the entry at the end of the build."""
        if self.memo_entry is not None:
            self.memo_entry[part] = value
            self.memo_dirty = True

    def checked(self) -> dict:
        """What reading and validate.check gave: the memo's `load` part, from which `_read_markdown` makes the
        Source again."""
        return {
            "pickled_meta": self.pickled_meta or pickle.dumps(self.meta, protocol=pickle.HIGHEST_PROTOCOL),
            "body": self.body,
            "body_line": self.body_line,
            "duplicate_keys": self.duplicate_keys,
            "data": self.data,
            "local_problems": self.local_problems,
        }


@dataclass
class Sources:
    root: Path  # the project root (parent of content/)
    portal: Map
    portal_rel: str
    vocabulary: Map
    vocabulary_rel: str
    dictionary: Map | None  # content/parole.yml, the analogical dictionary; None when the project has none
    dictionary_rel: str
    services: Map | None  # content/servizi.yml, the kinds of service a portineria offers; None when there is none
    services_rel: str
    territories: list[str]  # folder names, sorted
    files: list[Source]
    problems: list[Problem]
    # territory folders with no territorio.md
    missing_territory_files: list[str] = field(default_factory=list)
    portal_data: dict = field(default_factory=dict)  # filled by validate.check
    vocabulary_data: dict = field(default_factory=dict)
    words: Dictionary | None = None  # the checked dictionary, filled by validate.check
    services_data: dict = field(default_factory=dict)  # checked servizi.yml, filled by validate.check

    @property
    def language(self) -> str:
        """The portal's language (portale.yml `lingua`): of the interface, and of the texts that do not say theirs."""
        return self.portal_data.get("lingua", languages.DEFAULT)

    @property
    def originals(self) -> list[Source]:
        """The files that are not translations: what a reference (a person, a need, an action) names."""
        return [s for s in self.files if not s.translation]


def read_sources(content: Path, memo: Memo | None = None) -> Sources:
    content = content.resolve()
    root = content.parent
    memo = memo or Memo()
    memo.prefetch()
    problems: list[Problem] = []

    prefix = str(root) + os.sep

    def rel(path: Path) -> str:  # a string operation: Path.relative_to costs more than parsing a remembered file
        text = str(path)
        return (
            text[len(prefix) :].replace(os.sep, "/") if text.startswith(prefix) else path.relative_to(root).as_posix()
        )

    portal = _read_yaml_file(content / "portale.yml", rel, problems, required=True)
    vocabulary = _read_yaml_file(content / "saperi.yml", rel, problems, required=True)
    dictionary = _read_yaml_file(content / "parole.yml", rel, problems, required=False)
    services = _read_yaml_file(content / "servizi.yml", rel, problems, required=False)
    files: list[Source] = []
    territories: list[str] = []
    missing: list[str] = []
    for folder in sorted(content.iterdir()) if content.is_dir() else []:
        if folder.name.startswith((".", "_")):
            continue
        if _is_symlink_outside(folder, content, rel, problems):
            continue
        if not folder.is_dir():
            if folder.name not in TOP_FILES:
                problems.append(
                    Problem(
                        rel(folder),
                        0,
                        "file inatteso nella cartella content/",
                        "le storie vanno in content/<territorio>/storie/; sposta o togli questo file",
                        "file-inatteso",
                        warning=folder.suffix != ".md",
                    )
                )
            continue
        territories.append(folder.name)
        territory_file = folder / "territorio.md"
        if territory_file.is_file():
            source = _read_markdown(territory_file, "territorio", folder.name, folder.name, rel, problems, memo)
            if source:
                files.append(source)
        else:
            missing.append(folder.name)
        for child in sorted(folder.iterdir()):
            if child.name.startswith(".") or child.name == "territorio.md":
                continue
            if _is_symlink_outside(child, content, rel, problems):
                continue
            kind = KIND_FOLDERS.get(child.name)
            if kind is None:
                if child.is_dir() or child.suffix == ".md":
                    problems.append(
                        Problem(
                            rel(child),
                            0,
                            f'cartella o file sconosciuto "{child.name}" nel territorio',
                            "le cartelle di un territorio sono storie/, persone/, bisogni/ e azioni/; questo contenuto non verrebbe pubblicato",
                            "cartella-sconosciuta",
                        )
                    )
                continue
            if not child.is_dir():
                continue
            with os.scandir(child) as listing:  # the file types come with the listing: no stat per file
                found = sorted(listing, key=lambda item: item.name)
            for item in found:
                if item.name.startswith("."):
                    continue
                entry = child / item.name
                if item.is_symlink() and _is_symlink_outside(entry, content, rel, problems):
                    continue
                if item.is_dir():
                    index = entry / "index.md"
                    if index.is_file():
                        source = _read_markdown(index, kind, folder.name, entry.name, rel, problems, memo, bundle=entry)
                        if source:
                            files.append(source)
                        for translated in sorted(entry.glob("index.*.md")):
                            language = translated.name[len("index.") : -len(".md")]
                            source = _read_markdown(
                                translated, kind, folder.name, entry.name, rel, problems, memo, entry, language
                            )
                            if source:
                                files.append(source)
                    else:
                        problems.append(
                            Problem(
                                rel(entry),
                                0,
                                "cartella senza index.md",
                                f"una cartella dentro {child.name}/ deve contenere index.md con il testo",
                                "bundle-senza-index",
                            )
                        )
                elif entry.suffix == ".md":
                    slug, _, language = entry.stem.partition(".")  # a slug has no dot: <slug>.<lingua>.md translates
                    source = _read_markdown(entry, kind, folder.name, slug, rel, problems, memo, translation=language)
                    if source:
                        files.append(source)
                else:
                    problems.append(
                        Problem(
                            rel(entry),
                            0,
                            f"file inatteso in {child.name}/",
                            "immagini e audio vanno in una cartella insieme a index.md (un «bundle»)",
                            "file-inatteso",
                            warning=True,
                        )
                    )
    memo.forget_unread()
    return Sources(
        root,
        portal or Map(1),
        rel(content / "portale.yml"),
        vocabulary or Map(1),
        rel(content / "saperi.yml"),
        dictionary,
        rel(content / "parole.yml"),
        services,
        rel(content / "servizi.yml"),
        territories,
        files,
        problems,
        missing,
    )


def _is_symlink_outside(path: Path, content: Path, rel, problems: list[Problem]) -> bool:
    """A symlink that leaves content/ (or loops) is refused: it would publish files from elsewhere."""
    if not path.is_symlink():
        return False
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        problems.append(
            Problem(
                rel(path),
                0,
                "collegamento simbolico rotto o circolare",
                "togli il collegamento e copia il file vero",
                "collegamento",
            )
        )
        return True
    if not target.is_relative_to(content):
        problems.append(
            Problem(
                rel(path),
                0,
                "collegamento simbolico che punta fuori da content/",
                "copia il file dentro content/ invece di collegarlo",
                "collegamento",
            )
        )
        return True
    return False


def decode(data: bytes) -> tuple[str | None, tuple[int, int, str] | None]:
    """UTF-8 (a BOM is dropped, CRLF becomes LF). On failure: (None, (line, column, bad bytes))."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, (line, column, data[exc.start : exc.end].hex(" "))
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _read_bytes(path: Path, rel, problems: list[Problem]) -> bytes | None:
    read = _read_with_stat(path, rel, problems)
    return read[0] if read else None


def _read_with_stat(path: Path, rel, problems: list[Problem]) -> tuple[bytes, os.stat_result] | None:
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size > MAX_FILE_BYTES:
                problems.append(
                    Problem(
                        rel(path),
                        0,
                        f"file troppo grande ({st.st_size // 1024} KB, il massimo è {MAX_FILE_BYTES // 1024} KB)",
                        "controlla di non aver incollato un'immagine o un documento intero",
                        "dimensione",
                    )
                )
                return None
            return handle.read(), st
    except OSError as exc:
        problems.append(
            Problem(
                rel(path),
                0,
                f"impossibile leggere il file ({exc.strerror})",
                "controlla i permessi del file",
                "lettura",
            )
        )
        return None


def _decode_or_report(path: Path, data: bytes, rel, problems: list[Problem]) -> str | None:
    text, bad = decode(data)
    if bad:
        line, column, shown = bad
        problems.append(
            Problem(
                rel(path),
                line,
                f"il file non è in UTF-8 (byte {shown} alla colonna {column})",
                "salva il file con codifica UTF-8 (nell'editor: «Salva con codifica» → UTF-8)",
                "utf8",
            )
        )
    return text


def _read_yaml_file(path: Path, rel, problems: list[Problem], required: bool) -> Map | None:
    if not path.is_file():
        if required:
            problems.append(
                Problem(
                    rel(path),
                    0,
                    f"manca il file {path.name}",
                    "copialo dal contenuto di esempio del progetto",
                    "file-mancante",
                )
            )
        return None
    data = _read_bytes(path, rel, problems)
    text = _decode_or_report(path, data, rel, problems) if data is not None else None
    if text is None:
        return None
    try:
        value, duplicates = frontmatter.parse(text, line_offset=1, where="file")
    except YamlProblem as exc:
        problems.append(Problem(rel(path), exc.line, exc.message, exc.hint, exc.code))
        return None
    for line, key in duplicates:
        problems.append(
            Problem(
                rel(path),
                line,
                f'la chiave "{key}" è ripetuta',
                "tieni una sola riga con questa chiave",
                "chiave-ripetuta",
            )
        )
    return value


def _read_markdown(
    path: Path,
    kind: str,
    territory: str,
    slug: str,
    rel,
    problems: list[Problem],
    memo: Memo,
    bundle: Path | None = None,
    translation: str = "",
) -> Source | None:
    where = rel(path)

    def remembered(digest: str) -> tuple[Source | None, str]:
        """The same file read and checked by an earlier build, from the memo (None when it is not there), and the
        name of its memo entry."""
        memo_key = hash_key("load", code_version(), where, kind, territory, slug, str(bundle), digest)
        entry = memo.entry(memo_key)
        if entry is None or "load" not in entry:
            return None, memo_key
        return Source(
            path=path,
            rel=where,
            kind=kind,
            territory=territory,
            slug=slug,
            digest=digest,
            bundle=bundle,
            translation=translation,
            memo_key=memo_key,
            memo_entry=entry,
            **entry["load"],
        ), memo_key

    known = memo.known_digest(str(path))  # untouched since the last build read it: not read again (memo.py)
    if known is not None:
        source, _ = remembered(known)
        if source is not None:
            return source
    read = _read_with_stat(path, rel, problems)
    if read is None:
        return None
    data, st = read
    digest = hashlib.sha256(data).hexdigest()
    memo.note_read(str(path), st, digest)
    source, memo_key = remembered(digest)
    if source is not None:
        return source
    text = _decode_or_report(path, data, rel, problems)
    if text is None:
        return None
    try:
        parsed = frontmatter.parse_file_text(text)
    except YamlProblem as exc:
        problems.append(Problem(rel(path), exc.line, exc.message, exc.hint, exc.code))
        return None
    return Source(
        path=path,
        rel=where,
        kind=kind,
        territory=territory,
        slug=slug,
        parsed_meta=parsed.meta,
        body=parsed.body,
        body_line=parsed.body_line,
        digest=digest,
        bundle=bundle,
        translation=translation,
        duplicate_keys=parsed.duplicate_keys,
        memo_key=memo_key,
        memo_entry={} if memo.enabled else None,
    )


def content_files(content: Path) -> list[Path]:
    """Every file under content/, for watchers and caches."""
    out = []
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(Path(dirpath) / f for f in sorted(filenames) if not f.startswith("."))
    return out
