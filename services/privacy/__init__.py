"""Privacy: each client's data key, sealing personal fields under it, and erasure by destroying it."""
