"""Sub-commands of ``python -m gka_dash``; one module each, discovered automatically."""
