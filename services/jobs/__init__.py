"""Background work as the database holds it: the outbox, the scheduler's fired slots, failed jobs."""
