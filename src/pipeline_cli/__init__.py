"""pipeline: track a city's investment-attraction pipeline from the command line."""

__version__ = "0.1.0"
