"""The hash-chained ledger: chain maths, chained recorders, store and verification."""
