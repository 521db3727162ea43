"""The `timebank` command: the application's services without a screen (CLI.md)."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from timebank_desktop.cli.parser import build_parser
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.i18n import set_language


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit 0 done, 1 refused, 2 usage, 3 verify found damage."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    try:
        code: int = args.handler(args)
    except TimebankError as exc:
        print(f"timebank: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("timebank: interrupted", file=sys.stderr)
        return 130
    finally:
        for engine in getattr(args, "engines", []):
            engine.dispose()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
