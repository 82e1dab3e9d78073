"""`python -m postcost` runs the command line."""

from postcost.cli import main

main()
