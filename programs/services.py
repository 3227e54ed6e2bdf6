"""Business rules that write, as typed functions with keyword-only arguments,
named <thing>_<verb> (docs/architecture.md). The programs features add them here."""
