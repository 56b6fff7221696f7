"""The `tctt` commands: each module here exposes ``register(subparsers)`` and the ``run(args)`` it sets as
the command's function. ``tctt.cli.build_parser`` picks them up (the stages first, then by name; modules
named ``_*`` hold shared code, not commands), so a feature adds its command without editing the CLI core."""
