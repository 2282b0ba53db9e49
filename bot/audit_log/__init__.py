"""The audit log as people read it: /nhatky pages and the audit CLI export."""
