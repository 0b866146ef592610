"""Coaches: the people of an organisation who are assigned clients and hold coach keys.

`tables` declares the roster, `records` what the service hands out and refuses
with, `assignable` the rule every client assignment and coach key obeys (an
active coach of the caller's organisation), `roster` the service that creates,
lists and updates coaches, and `actors` how an event's recorded actor reads as
a person in history and exports.
"""
