"""Write the CLI reference page from the ``m4ml`` click command itself (never retyped)."""

from pathlib import Path


def render():
    """The page's reStructuredText: the group's help, then every subcommand's ``--help``."""
    import click

    from m4ml.cli.app import cli

    lines = ["Command-line reference", "======================", ""]
    lines += [
        "The ``m4ml`` command is installed with the package (``python -m m4ml`` runs the tour). "
        "This page is generated from the command's own help when the documentation is built.",
        "",
    ]

    def block(title, command, ctx):
        out = [title, "-" * len(title), "", ".. code-block:: text", ""]
        out += ["   " + line if line else "" for line in command.get_help(ctx).splitlines()]
        return [*out, ""]

    root = click.Context(cli, info_name="m4ml")
    lines += block("m4ml", cli, root)
    for name in sorted(cli.list_commands(root)):
        sub = cli.get_command(root, name)
        lines += block(f"m4ml {name}", sub, click.Context(sub, info_name=name, parent=root))
    return "\n".join(lines) + "\n"


def write_page(path):
    text = render()
    path = Path(path)
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path
