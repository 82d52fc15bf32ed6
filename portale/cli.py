"""Command line: build | check | serve | new. `main(argv) -> exit code`.

Exit codes: 0 success, 1 content problems (nothing written), 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import pipeline
from .problems import ContentError, Problem

COMMANDS = ("build", "check", "serve", "new")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'data non valida "{text}": usa AAAA-MM-GG') from None


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Portale dei Saperi: costruisce il sito dai contenuti in content/.")
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--bozze", action="store_true", help="mostra anche le bozze (solo per l'anteprima)")
        p.add_argument("--output", type=Path, default=Path("site"), help="cartella di uscita (predefinita: site)")
        p.add_argument("--oggi", type=_date, default=None, help="la data di oggi, AAAA-MM-GG (per costruzioni riproducibili)")

    build = sub.add_parser("build", help="costruisce il sito (comando predefinito)")
    common(build)
    check = sub.add_parser("check", help="controlla i contenuti senza scrivere niente")
    check.add_argument("--format", choices=["testo", "github"], default="testo", help="formato dei messaggi")
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
    return run_build(root, args)


def print_problems(problems: list[Problem], fmt: str = "testo") -> None:
    for problem in sorted(problems):
        if fmt == "github":
            level = "warning" if problem.warning else "error"
            where = f"file={problem.path}" + (f",line={problem.line}" if problem.line else "")
            text = problem.message + (f" — {problem.hint}" if problem.hint else "")
            print(f"::{level} {where}::{text}")
        else:
            print(problem.format())


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
        print(f"{_plural(errors, 'problema', 'problemi')}, {_plural(warnings, 'avviso', 'avvisi')}. Correggi i file indicati e riprova.")
        return 1
    print(f"Tutto a posto: nessun errore, {_plural(warnings, 'avviso', 'avvisi')}.")
    return 0


def run_build(root: Path, args) -> int:
    out = args.output if args.output.is_absolute() else root / args.output
    try:
        result = pipeline.build(root, out, drafts=args.bozze, today=args.oggi)
    except ContentError as exc:
        print_problems(exc.problems)
        errors, warnings = _count(exc.problems)
        print(f"{_plural(errors, 'problema', 'problemi')}, {_plural(warnings, 'avviso', 'avvisi')}. Niente è stato scritto in {args.output}/.")
        return 1
    print_problems(result.warnings)
    total = sum(result.pages.values())
    print(f"Costruito {args.output}/: {_plural(total, 'pagina', 'pagine')} in {result.seconds:.1f} s{' (bozze incluse)' if args.bozze else ''}")
    for territory in result.archive.territories:
        print(f"  {territory.slug:<22} {_plural(result.pages.get(territory.slug, 0), 'pagina', 'pagine')}")
    print(f"  {'rete':<22} {_plural(result.pages.get('', 0), 'pagina', 'pagine')}")
    if result.warnings:
        print(_plural(len(result.warnings), "avviso", "avvisi") + ".")
    return 0
