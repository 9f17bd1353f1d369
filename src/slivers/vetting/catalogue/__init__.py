"""Each organisation's credential catalogue: read, edited by its coordinators, and its versions (the
seeded one is rules/catalogue.py)."""
