from django.conf import settings


def site(request):
    return {"civsam": settings.CIVSAM}
