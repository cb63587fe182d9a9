"""``manage.py demo_users``: the demo's accounts ``admin`` (superuser), ``editor`` and ``moderator``.

Creates the accounts that are missing; existing accounts are never changed. The password comes
from the ``DEMO_PASSWORD`` environment variable, or is generated and printed once, only when at
least one account is created. ``editor`` joins the "Editors" group and ``moderator`` the
"Moderators" group (both made by Wagtail's own migrations; their permissions are set elsewhere).
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

# username → (group, is_superuser)
DEMO_ACCOUNTS = {
    "admin": (None, True),
    "editor": ("Editors", False),
    "moderator": ("Moderators", False),
}


class Command(BaseCommand):
    help = "Creates the demo accounts admin, editor and moderator if they are missing."

    def handle(self, *args, **options):
        User = get_user_model()
        password_from_env = os.environ.get("DEMO_PASSWORD", "")
        password = password_from_env or secrets.token_urlsafe(12)
        created, kept = [], []

        with transaction.atomic():
            for username, (group_name, is_superuser) in DEMO_ACCOUNTS.items():
                if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
                    kept.append(username)
                    continue
                email = f"{username}@example.com"
                if is_superuser:
                    user = User.objects.create_superuser(username=username, email=email, password=password)
                else:
                    user = User.objects.create_user(username=username, email=email, password=password)
                if group_name:
                    group, _created = Group.objects.get_or_create(name=group_name)
                    user.groups.add(group)
                created.append(username)

        for username in created:
            self.stdout.write(self.style.SUCCESS(f"Created account “{username}”."))
        for username in kept:
            self.stdout.write(f"Kept existing account “{username}” (unchanged).")
        if created:
            if password_from_env:
                self.stdout.write("Password of the new accounts: the value of DEMO_PASSWORD.")
            else:
                self.stdout.write(f"Password of the new accounts (shown once): {password}")
        self.stdout.write(f"Log in at {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/admin/")
