"""Mails: who is told what about a request, rendered with jinja2 (HTML and plain text)."""
