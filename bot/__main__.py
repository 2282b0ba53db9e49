"""`python -m bot`."""

import gc
import sys

# Importing the bot makes ~200,000 objects the cyclic collector tracks and leaves ~800 garbage
# cycles: its passes over them are wasted time (~8 % of the import's CPU). bot.cli turns it back
# on once the chosen command's modules are imported.
gc.disable()

if sys.argv[1:2] == ["run"]:  # the Bot API's TLS context loads in a thread meanwhile (~50 ms)
    from bot.core.tls import load_in_background

    load_in_background()

from bot.cli import main  # noqa: E402

sys.exit(main())
