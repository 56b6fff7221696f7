"""The core library of tctt-audit: the store, the registry, the vocabulary, Vietnamese text, statuses and exit codes.

Every other package may import it; it imports none of them."""

__version__ = "0.1.0"
