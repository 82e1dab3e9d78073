"""postcost: cost UK public-sector posts and proposals exactly, and check the figures reports state.

The library core is importable without the command line::

    from postcost import load_proposal, cost_proposal
    report = cost_proposal(load_proposal("examples/nottinghamshire-2021-07-adults-recovery.yaml"))
    print(report.grand_total)
"""

from postcost.engine import cost_proposal
from postcost.errors import PostcostError, Problem
from postcost.loader import load_proposal

__version__ = "0.1.0"

__all__ = ["PostcostError", "Problem", "cost_proposal", "load_proposal", "__version__"]
