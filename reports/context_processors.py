from reports.access import navigation


def menu(request):
    """The main menu of the signed-in user, read from the access rules."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": navigation(user)}
