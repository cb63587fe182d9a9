"""Values every public template needs: the header's navigation and the languages."""

from django.conf import settings


def portal(request):
    return {"portal_languages": settings.LANGUAGES}
