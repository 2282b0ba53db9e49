"""Announcements from the secretariat: audiences, sending, acknowledgements, status."""
