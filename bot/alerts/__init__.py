"""Low-rate warnings (alerts): policies, evaluation, silences, texts and CLI."""
