"""Calendars: each coach's and each client's private iCalendar feed, behind a rotatable token URL."""
