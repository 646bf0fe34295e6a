"""Build every article under source/ into output/ (see README.md)."""

import sys

from galley.cli import main

if __name__ == "__main__":
    sys.exit(main())
