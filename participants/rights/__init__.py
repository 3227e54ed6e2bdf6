"""The right of access: `data` gathers everything held on a person, `display` labels
it for the page and lays it out as a PDF, `views` serves the three forms."""
