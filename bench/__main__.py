"""`python -m bench` (`make bench`): the figures, into bench/results.json."""

import sys

from bench.run import main

sys.exit(main())
