"""Review digests, one home: runs of a period, generation true to the period, and their tables."""
