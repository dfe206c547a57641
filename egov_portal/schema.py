"""The OpenAPI schema's account of errors, in one place for every operation."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """Every error the API answers: what went wrong, in the reader's language."""

    detail = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    """The change was refused because of the record's state, or because it changed since it was
    read; ``current`` is the record as saved now (only for a stale version)."""

    current = serializers.DictField(required=False)


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Field or query parameter name → its messages; `detail` for a message "
    "about the request as a whole.",
    "additionalProperties": {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ]
    },
}

ERROR_DESCRIPTIONS = {
    "400": "The request is wrong: invalid fields, query parameters or path values.",
    "401": "No valid credentials; the `WWW-Authenticate` header says how to authenticate.",
    "403": "Authenticated, but this user may not do this.",
    "404": "Nothing here that this user may see, or a page past the last.",
    "409": "The record's state does not allow this, or it changed since it was read.",
    "413": "The request body is too large.",
    "429": "Too many requests; try again later.",
    "500": "An unexpected failure: the body says only that; the server's log has the error.",
}


class AutoSchema(SpectacularAutoSchema):
    """The schema declares every error an operation may answer, in the one shape the API uses
    (``{"detail": ...}``, or the fields' messages for a 400), so that clients and the contract
    test can rely on it."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes():
            if code not in responses:
                responses[code] = {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": self.error_schema(code)}},
                }
        return operation

    def error_codes(self):
        codes = ["400", "429", "500"]
        needs_account = any(
            isinstance(permission, permissions.IsAuthenticated)
            for permission in self.view.get_permissions()
        )
        if needs_account:
            codes += ["401", "403"]
        # A path names something that may not exist or be visible; a page past the last of a
        # list is a 404 too (DRF's pagination).
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.append("404")
        if self.method not in permissions.SAFE_METHODS:
            codes.append("413")
            if needs_account:
                codes.append("409")
        return sorted(codes)

    def error_schema(self, code):
        if code == "400":
            component = ResolvedComponent(
                name="ValidationError",
                type=ResolvedComponent.SCHEMA,
                object="ValidationError",
                schema=VALIDATION_ERROR_SCHEMA,
            )
            self.registry.register_on_missing(component)
            return component.ref
        serializer = ConflictSerializer if code == "409" else ErrorSerializer
        return self.resolve_serializer(serializer, "response").ref

    # A serializer may name fields needed to change a record (``required_to_change``, the
    # ``version`` last read) that creating one does not need. drf-spectacular would share one
    # component between POST and PUT and make every field of a PATCH optional.

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        if self._required_to_change(serializer, direction) and self.method == "PUT":
            name = name.removesuffix("Serializer") + "Change"
        return name

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        required = self._required_to_change(serializer, direction)
        if required:
            kept = schema.get("required", []) if self.method == "PUT" else []
            schema["required"] = sorted({*kept, *required})
        return schema

    def _required_to_change(self, serializer, direction):
        if direction != "request" or self.method not in {"PUT", "PATCH"}:
            return ()
        return getattr(serializer, "required_to_change", ())
