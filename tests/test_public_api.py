"""The package's public surface: every name in digecon.__all__ resolves."""
from __future__ import annotations

import subprocess
import sys

import digecon


def test_every_public_name_resolves():
    for name in digecon.__all__:
        assert getattr(digecon, name) is not None, name


def test_cli_lists_every_command():
    out = subprocess.run([sys.executable, "-m", "digecon.cli", "--help"], capture_output=True,
                         text=True, check=True).stdout
    for command in ("init", "load-demo", "ingest", "template", "query", "measure", "index",
                    "factcheck", "narrative", "report", "figure", "serve"):
        assert f"  {command}" in out, command


def test_every_command_help_has_an_example():
    from click.testing import CliRunner

    from digecon.cli import main

    runner = CliRunner()
    pending = [[name] for name in main.list_commands(None)]
    seen = 0
    while pending:
        path = pending.pop()
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        cmd = main
        for part in path:
            cmd = cmd.get_command(None, part)
        if hasattr(cmd, "list_commands"):
            pending += [[*path, sub] for sub in cmd.list_commands(None)]
        else:
            assert "Example" in result.output, path
            seen += 1
    assert seen >= 15


def test_top_level_help_lines_match_each_command():
    """`digecon --help` prints its own copy of each command's first help line (so that it
    imports nothing); the copy must say what the command itself says."""
    from digecon.cli import _COMMANDS, _load

    for name, (_, line) in _COMMANDS.items():
        command = _load(name)
        assert command is not None, name
        assert command.get_short_help_str(limit=200) == line, name
