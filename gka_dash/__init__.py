"""gka-dash: GKA agendas and CBS neighbourhood statistics for equal-opportunity work."""

__version__ = "0.1.0"
