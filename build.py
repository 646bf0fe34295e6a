"""`galley`, run from galley's own checkout: `python build.py [COMMAND] [ARGS]` (see README.md).

It builds the journal it is run in (the checkout's bundled sample from here) exactly as the
installed `galley` command does.
"""

import sys

from galley.cli import main

if __name__ == "__main__":
    sys.exit(main())
