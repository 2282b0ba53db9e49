"""`python -m bot`."""

import gc
import sys

# Importing the bot makes about a million objects and frees almost none: the cyclic collector's
# passes over them are wasted time (~9 % of start-up). bot.cli turns it back on once the chosen
# command's modules are imported.
gc.disable()

from bot.cli import main  # noqa: E402

sys.exit(main())
