"""The `xxgk` command: parses arguments, calls the library, prints. It decides nothing.

Each command family lives in its own ``cmd_*.py`` module; this file only assembles them and
turns expected errors into one-line messages with a non-zero exit (never a traceback).
"""

from __future__ import annotations

import sys

import click

from xxgk import cmd_audit, cmd_bulletin, cmd_crawl, cmd_inspect, cmd_probe, cmd_review, cmd_run, cmd_worker

#: Exit statuses, documented in the README.
EXIT_OK = 0
EXIT_ERROR = 1        # bad input: missing file, bad seeds, bad date, unknown site
EXIT_UNREACHABLE = 3  # `crawl`: the portal (every portal) could not be reached


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xxgk-monitor")
def cli() -> None:
    """xxgk-monitor：政府网站信息公开专栏监测（采集、检查、通报）。"""


for module in (cmd_crawl, cmd_inspect, cmd_audit, cmd_review, cmd_bulletin, cmd_run, cmd_worker, cmd_probe):
    for command in module.COMMANDS:
        cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="xxgk", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("已中断。", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
