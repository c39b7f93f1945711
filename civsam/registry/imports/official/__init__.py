"""Import of the official open bulk files that cover organisations with an organisationsnummer:
Statistics Sweden's business register file and Bolagsverket's register file (ADR 0111).

`formats.py` and `places.py` are pure (rows in, rows out); `services.py` compares and writes.
"""
