"""Command line: build | check | serve | new. `main(argv) -> exit code`.

Exit codes: 0 success, 1 content problems (nothing written), 2 usage errors, 3 the output could not be
written (a full disk, permissions: the previous site stays).
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import errno
import re
import sys
from pathlib import Path

from portale.build import pipeline
from portale.build.progress import Progress
from portale.build.write import WriteFailed
from portale.content.problems import ContentError, Problem
from portale.editors import scaffold

COMMANDS = ("build", "check", "serve", "new")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'data non valida "{text}": usa AAAA-MM-GG') from None


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f'numero di processi non valido "{text}": usa un numero intero da 1 in su')
    return int(text)


class ItalianParser(argparse.ArgumentParser):
    """argparse with its most common usage errors said in Italian (exit code 2, as argparse)."""

    MESSAGES = [
        (r"the following arguments are required: (.*)", "manca {0}"),
        (
            r"argument command: invalid choice: '([^']*)' \(choose from (.*)\)",
            'comando sconosciuto "{0}" (i comandi sono {1})',
        ),
        (r"unrecognized arguments: (.*)", "non capisco {0}"),
        (
            r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)",
            '{0}: valore non ammesso "{1}" (scegli tra {2})',
        ),
        (r"argument (\S+): invalid int value: '([^']*)'", '{0}: "{1}" non è un numero intero'),
        (r"argument (\S+): expected one argument", "dopo {0} manca il valore"),
    ]

    def error(self, message: str):
        for pattern, italian in self.MESSAGES:
            match = re.fullmatch(pattern, message)
            if match:
                message = italian.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message} — per l'aiuto: {self.prog} --help\n")


def make_parser() -> argparse.ArgumentParser:
    parser = ItalianParser(
        prog="build.py", description="Portale dei Saperi: costruisce il sito dai contenuti in content/."
    )
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--bozze", action="store_true", help="mostra anche le bozze (solo per l'anteprima)")
        p.add_argument("--output", type=Path, default=Path("site"), help="cartella di uscita (predefinita: site)")
        p.add_argument(
            "--oggi", type=_date, default=None, help="la data di oggi, AAAA-MM-GG (per costruzioni riproducibili)"
        )
        p.add_argument(
            "--jobs", "-j", type=_jobs, default=None, help="processi in parallelo (predefinito: tutti i processori)"
        )

    build = sub.add_parser("build", help="costruisce il sito (comando predefinito)")
    common(build)
    printing = sub.add_parser(
        "stampa", help="costruisce il sito e anche i PDF della bacheca di ogni territorio e dei moduli (con WeasyPrint)"
    )
    common(printing)
    check = sub.add_parser("check", help="controlla i contenuti senza scrivere niente")
    check.add_argument(
        "--format",
        choices=["testo", "github"],
        default="testo",
        help="formato dei messaggi (github: annotazioni di GitHub Actions)",
    )

    serve = sub.add_parser("serve", help="anteprima con le bozze su http://127.0.0.1, aggiornata a ogni modifica")
    serve.add_argument(
        "--port", type=int, default=8000, help="porta (predefinita: 8000; 0 = una porta libera qualsiasi)"
    )
    serve.add_argument(
        "--output",
        type=Path,
        default=Path(".anteprima"),
        help="cartella dell'anteprima (predefinita: .anteprima, mai site/)",
    )
    serve.add_argument(
        "--senza-bozze", dest="bozze", action="store_false", help="mostra il sito esattamente come sarà pubblicato"
    )
    serve.add_argument("--oggi", type=_date, default=None, help="la data di oggi, AAAA-MM-GG")
    serve.add_argument(
        "--redazione",
        action="store_true",
        help="anche l'editor nel browser (admin/), che scrive nei file di content/ (serve npm ci --prefix editor)",
    )

    new = sub.add_parser("new", help="crea un nuovo file da compilare: storia, persona, bisogno o azione")
    new.add_argument("tipo", metavar="storia|persona|bisogno|azione", help="che cosa creare")
    new.add_argument("titolo", nargs="+", help='il titolo (o il nome), tra virgolette: "La festa di via Como"')
    new.add_argument("--territorio", default=None, help="la cartella del territorio in content/, es. aurora")
    new.add_argument("--slug", default=None, help="il nome del file, se non va bene quello ricavato dal titolo")
    new.add_argument(
        "--cartella",
        action="store_true",
        help="crea storie/<nome>/index.md (o persone/<nome>/index.md), per mettere foto e audio accanto al testo",
    )
    new.add_argument(
        "--organizzazione", action="store_true", help="per persona: una scheda di organizzazione (senza consenso)"
    )
    new.add_argument("--oggi", type=_date, default=None, help="la data da scrivere, AAAA-MM-GG (predefinita: oggi)")

    words = sub.add_parser("parole", help="il dizionario delle parole: suggerisci le parole per un testo")
    words_sub = words.add_subparsers(dest="azione", required=True)
    suggest = words_sub.add_parser(
        "suggerisci", help="le parole del dizionario che un testo usa e non ha tra i tag, e le candidate nuove"
    )
    suggest.add_argument(
        "file", nargs="+", type=Path, help="content/<territorio>/storie/<nome>.md (o persone, bisogni)"
    )
    return parser


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    root = (root or Path.cwd()).resolve()
    if args.command == "check":
        return run_check(root, args)
    if args.command == "new":
        return run_new(root, args)
    if args.command == "parole":
        return run_suggest(root, args)
    if args.command == "serve":
        from portale.editors import serve  # the HTTP server and the watcher are loaded only when previewing

        return serve.run_serve(root, args)
    if args.command == "stampa":
        from portale.pages import pdf

        if not pdf.available():
            print(pdf.INSTALL_HINT, file=sys.stderr)
            return 2
    return run_build(root, args)


def run_suggest(root: Path, args) -> int:
    from portale.editors import suggest  # the stemmer is loaded only for this command

    files = [f if f.is_absolute() else root / f for f in args.file]
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"il file {missing[0]} non esiste — scrivi il percorso di una storia, di una persona o di un bisogno")
        return 2
    found = suggest.suggest_files(root, files)
    if len(found) < len(files):
        print("suggerisco le parole solo per storie, persone e bisogni in content/<territorio>/")
        return 2
    print("\n\n".join(suggest.format_suggestions(f) for f in found))
    return 0


def run_new(root: Path, args) -> int:
    kind = args.tipo.strip().lower()
    if kind not in scaffold.VALUES:
        close = difflib.get_close_matches(kind, list(scaffold.VALUES), n=1, cutoff=0.5)
        guess = f'forse "{close[0]}"? ' if close else ""
        print(f'non so creare "{args.tipo}" — {guess}scegli storia, persona, bisogno oppure azione')
        return 2
    if args.cartella and kind == "bisogno":
        print("--cartella vale per storie e persone (foto e audio accanto al testo), non per i bisogni")
        return 2
    if args.organizzazione and kind != "persona":
        print("--organizzazione vale solo con persona: python build.py new persona --organizzazione ...")
        return 2
    try:
        created = scaffold.new_content(
            root / "content",
            kind,
            args.territorio,
            " ".join(args.titolo),
            today=args.oggi,
            slug=args.slug,
            bundle=args.cartella,
            person_type="organizzazione" if args.organizzazione else "persona",
        )
    except scaffold.ScaffoldError as exc:
        print(exc)
        return exc.code
    print(f"Creato {created.path.relative_to(root).as_posix()}: {created.next_step}.")
    print("Guarda l'anteprima con: python build.py serve")
    return 0


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem) -> str:
    """`::error file=...,line=...,title=...::message`, escaped as the GitHub Actions toolkit does."""
    level = "warning" if problem.warning else "error"
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        props.append(f"line={problem.line}")
    props.append(
        "title=" + _escape_property(f"Portale dei Saperi: {problem.code}" if problem.code else "Portale dei Saperi")
    )
    text = problem.explain() + (f" (guida: {problem.guide})" if problem.guide else "")
    return f"::{level} {','.join(props)}::{_escape_data(text)}"


def print_problems(problems: list[Problem], fmt: str = "testo") -> None:
    for problem in sorted(problems):
        print(github_annotation(problem) if fmt == "github" else problem.format())


def _count(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(1 for p in problems if not p.warning)
    return errors, len(problems) - errors


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def run_check(root: Path, args) -> int:
    _, problems = pipeline.check(root)
    print_problems(problems, args.format)
    errors, warnings = _count(problems)
    if errors:
        print(
            f"{_plural(errors, 'problema', 'problemi')}, {_plural(warnings, 'avviso', 'avvisi')}. Correggi i file indicati e riprova."
        )
        return 1
    print(f"Tutto a posto: nessun errore, {_plural(warnings, 'avviso', 'avvisi')}.")
    return 0


def run_build(root: Path, args) -> int:
    out = args.output if args.output.is_absolute() else root / args.output
    try:
        result = pipeline.build(
            root,
            out,
            drafts=args.bozze,
            today=args.oggi,
            jobs=args.jobs,
            progress=Progress(),
            pdfs=args.command == "stampa",
        )
    except ContentError as exc:
        print_problems(exc.problems)
        errors, warnings = _count(exc.problems)
        print(
            f"{_plural(errors, 'problema', 'problemi')}, {_plural(warnings, 'avviso', 'avvisi')}. Niente è stato scritto in {args.output}/."
        )
        return 1
    except WriteFailed as exc:
        error = exc.error
        reason = {
            errno.ENOSPC: "il disco è pieno",
            errno.EDQUOT: "lo spazio concesso è finito",
            errno.EFBIG: "un file supera la dimensione massima concessa",
            errno.EACCES: "mancano i permessi",
            errno.EROFS: "il disco è in sola lettura",
        }.get(error.errno, error.strerror or str(error))
        print(
            f"Impossibile scrivere {args.output}/: {reason} ({error.filename or args.output}). Il sito di prima è rimasto com'era: libera spazio o correggi i permessi e riprova.",
            file=sys.stderr,
        )
        return 3
    print_problems(result.warnings)
    total = sum(result.pages.values())
    print(
        f"Costruito {args.output}/: {_plural(total, 'pagina', 'pagine')} in {result.seconds:.1f} s{' (bozze incluse)' if args.bozze else ''}"
    )
    indexed = result.indexed.pages if result.indexed else {}
    for slug in result.territories:
        in_search = _plural(indexed.get(slug, 0), "pagina", "pagine")
        print(f"  {slug:<22} {_plural(result.pages.get(slug, 0), 'pagina', 'pagine')}, {in_search} nella ricerca")
    print(f"  {'rete':<22} {_plural(result.pages.get('', 0), 'pagina', 'pagine')}")
    if result.indexed:
        print(
            f"Indice di ricerca (Pagefind): {_plural(sum(indexed.values()), 'pagina', 'pagine')} in {result.indexed.seconds:.1f} s"
        )
    if result.warnings:
        print(_plural(len(result.warnings), "avviso", "avvisi") + ".")
    return 0
