"""Invitations, redemption, the secretariat's membership, and the invite exports."""
