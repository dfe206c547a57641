from django.utils.functional import SimpleLazyObject

from egov_portal.notifications import unread_count


def notifications(request):
    """The signed-in user's unread notifications for the navigation: one query, made only by
    a template that shows the count (the navigation; not an htmx fragment)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
