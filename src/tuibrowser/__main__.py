"""Allow `python -m tuibrowser`."""

import sys

from tuibrowser.cli import main

sys.exit(main())
