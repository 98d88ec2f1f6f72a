"""`xxgk audit`: placeholder until its issue lands (owned by its implementer)."""

COMMANDS: list = []
