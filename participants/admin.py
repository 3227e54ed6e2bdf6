"""Admin of the registry."""
