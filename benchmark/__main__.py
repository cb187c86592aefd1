"""`python -m benchmark` runs the ccr command line."""

from .cli import main

main()
