"""`python -m local`: the local stack (see devstack/stack.py).

It leaves with `os._exit` once it has stopped: the in-memory AWS of a long demo is millions of
objects, and freeing them one by one at interpreter exit took seconds after 10,000 filings. Nothing
in it outlives the process anyway.
"""

import os
import sys

from devstack.stack import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
