"""Unit administration: list, cards, rename, kinds, areas, units files and CLI."""
