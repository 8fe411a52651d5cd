"""Per-source spec rules, shared by the extractors (quarantine) and the warehouse load."""
