"""The open data catalogue: every dataset Civsam publishes, described in DCAT-AP-SE 3.0 (ADR 0125)."""
