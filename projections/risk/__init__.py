"""Risk rules: pure, documented checks over read-side facts that report findings."""
