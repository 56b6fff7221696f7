"""Extra `tctt` subcommands: each module here exposes ``register(subparsers)`` and is picked up by
``tctt.cli.build_parser`` in name order, so a feature adds its command without editing the CLI core."""
