"""`python -m ops.preflight`: see the package's docstring."""

import sys

from ops.preflight import main

sys.exit(main())
