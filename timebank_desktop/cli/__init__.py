"""The `timebank` command: the application's services without a screen (CLI.md)."""

from __future__ import annotations

import logging
import os
import sys
from argparse import Namespace
from collections.abc import Sequence

from timebank_desktop.cli import usage_language
from timebank_desktop.cli.parser import build_parser
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import DEFAULT_LANGUAGE, _, set_language
from timebank_desktop.services.file_checks import check_input, check_output, os_reason


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 0 done, 1 refused, 2 usage, 3 verify found damage."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    words = list(sys.argv[1:] if argv is None else argv)
    usage_language.install()
    set_language(usage_language.language_in(words) or DEFAULT_LANGUAGE)
    parser = build_parser()
    args = parser.parse_args(words)
    set_language(args.lang)
    try:
        _check_paths(args)
        code: int = args.handler(args)
    except TimebankError as exc:
        print(f"timebank: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # the reader went away (`timebank member list | head`): stop quietly
        _silence_stdout()
        return 141  # as a command killed by SIGPIPE
    except OSError as exc:  # a file the checks above could not foresee (disk full, …)
        where = exc.filename or ""
        print(
            _("timebank: {path}: {reason}").format(path=where, reason=os_reason(exc)),
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print(_("timebank: interrupted"), file=sys.stderr)
        return 130
    finally:
        for engine in getattr(args, "engines", []):
            engine.dispose()
    return code


def _silence_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # not a real file (tests), already closed
        pass


def _check_paths(args: Namespace) -> None:
    """Refuse missing input files and unwritable output paths before a command does anything."""
    for source in [getattr(args, "file", None), *(getattr(args, "files", None) or [])]:
        if source:
            check_input(source)
    if getattr(args, "output", None):
        check_output(args.output, getattr(args, "output_suffix", None))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
