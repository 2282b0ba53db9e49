"""Directive letters: reading, splitting into citable passages, search and storage."""
