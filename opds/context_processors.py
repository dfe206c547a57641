from opds.access import membership_of


def membership(request):
    """The signed-in user's role and scope, for navigation by role."""
    return {"membership": membership_of(getattr(request, "user", None))}
