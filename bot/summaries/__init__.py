"""Group summaries with charts, and a unit's history across periods."""
