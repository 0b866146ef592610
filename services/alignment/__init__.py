"""Re-alignment checks: one client's check (scheduled, or asked for now or as on a past day) and sweeps."""
