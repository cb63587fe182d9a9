"""E-mail alerts: visitors follow an area, a kind of content, a filtered register or one page.

Where to start:

- ``models.py``: subscribers, their subscriptions, what was published (``AlertItem``) and one
  ``Delivery`` per subscriber and item, which is what makes sending exactly-once;
- ``topics.py``: what can be followed, its label, and whether a publication matches it;
- ``views.py`` + ``forms.py`` + ``urls.py``: sign-up with double opt-in, confirmation, the page where a
  subscriber manages everything without an account, one-click unsubscribe (RFC 8058), deletion;
- ``tasks.py``: the background work on Django's Tasks API (``django-tasks``, database backend);
- ``sending.py``: claims due deliveries, sends them (retries with back-off, suspension, rate bound);
- ``smtp.py`` and ``mail.py``: the SMTP conversation and the mails' text and HTML;
- ``signals.py``: publication of a page or snippet → a task.
"""
