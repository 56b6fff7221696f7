"""Extra `tctt` subcommands: each module here exposes ``register(subparsers)`` and is picked up by
``tctt.cli.build_parser`` (the stages first, then by name; modules named _* are shared code, not commands), so a feature adds its command without editing the CLI core."""
