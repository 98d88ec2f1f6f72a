"""`xxgk crawl`: placeholder, being written."""

COMMANDS: list = []
