"""Pages of the woodpecker programme: the readers' public form (public.py, phone first) and the
editors' report queue and judging (reports.py), catalogue (catalogue.py), and rounds, awards
and ledger (rounds.py).

Thin: each view reads through selectors, writes through one service and shows its refusal on
the form. Editor pages are 404 for everybody who is not an editor (or a superuser).
"""
