"""`python -m tools.preflight`: see the package's docstring."""

import sys

from tools.preflight import main

sys.exit(main())
