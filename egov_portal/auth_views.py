"""The API's token endpoints: obtain a token with a user name and password, and log out."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from egov_portal.views import locked_out
from opds.forms import LoginForm


class TokenObtainSerializer(serializers.Serializer):
    """A user name and password, checked as the login page checks them (lockout included)."""

    username = serializers.CharField(write_only=True)
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )

    def validate(self, attrs):
        # The request lets the lockout count this attempt against the client's address.
        user = authenticate(
            request=self.context["request"],
            username=attrs["username"],
            password=attrs["password"],
        )
        if user is None:
            raise ValidationError(
                {"detail": [LoginForm.error_messages["invalid_login"]]}, code="authorization"
            )
        return {"user": user}


@extend_schema(
    request=TokenObtainSerializer,
    responses=inline_serializer(
        "Token",
        {
            "token": serializers.CharField(help_text="Send as 'Authorization: Token <token>'."),
            "expiry": serializers.DateTimeField(help_text="When the token stops working."),
        },
    ),
)
class TokenObtainView(KnoxLoginView):
    """A new API token for a user name and password. Tokens expire, are kept only as digests,
    and die when the user's password changes or the account is switched off."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, format=None):
        serializer = TokenObtainSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                return locked_out(request, None, getattr(request, "axes_credentials", None))
            raise ValidationError(serializer.errors)
        request.user = serializer.validated_data["user"]
        return super().post(request, format=format)


@extend_schema(request=None, responses={204: None})
class TokenLogoutView(KnoxLogoutView):
    """Delete the token this request is authenticated with."""
