import sys

from timebank_desktop.cli import main

sys.exit(main())
