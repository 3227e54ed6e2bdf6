"""Business rules that write, as typed functions with keyword-only arguments,
named <thing>_<verb> (DESIGN.md, section 4). The partners features add them here."""
