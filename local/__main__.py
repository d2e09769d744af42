"""`python -m local`: the local stack (see local/stack.py)."""

import sys

from local.stack import main

sys.exit(main())
