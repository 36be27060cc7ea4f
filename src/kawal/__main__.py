"""``python -m kawal``: the same as the ``kawal`` command."""

import sys

from kawal.cli.main import main

sys.exit(main())
