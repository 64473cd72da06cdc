"""Read side: views rebuilt from events, replay, the kinship graph, risk rules."""
