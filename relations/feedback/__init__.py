"""Page feedback: "Was this page useful?" at the foot of every page, yes or no with an optional
comment, kept per page for editors (Reports → Page feedback in the admin). ``models.py`` keeps the
answers; ``views.py`` has the form's view and the editors' report.

Pages are served from the anonymous page cache, so the form carries no CSRF token and the view is
exempt: what it accepts is harmless (a yes or no and at most ``MAX_COMMENT`` characters of text,
shown escaped to editors only). Against spam: a honeypot field that bots fill in (the answer is
then silently dropped), and at most ``PORTAL_FEEDBACK_PER_CLIENT`` answers an hour from one client.
"""
