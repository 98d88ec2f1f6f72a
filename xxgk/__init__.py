"""The thin application layer users touch: the `xxgk` command, schedules and the demo."""
