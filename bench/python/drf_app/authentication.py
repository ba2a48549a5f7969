"""Bearer access tokens as the service issues them (HS256; signature, expiry, issuer, audience, subject)."""

import jwt
from django.conf import settings
from rest_framework import authentication, exceptions


class TokenUser:
    """The caller as the token names them: no user lookup (the service's tokens carry id and role)."""

    is_authenticated = True

    def __init__(self, claims):
        self.id = int(claims["sub"])
        self.role = claims.get("role")


class AccessTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send a valid access token")
        try:
            claims = jwt.decode(header[1], settings.JWT_SECRET, algorithms=["HS256"], audience="shop-api", issuer="shop-api", options={"require": ["exp", "sub"]})
            return TokenUser(claims), claims
        except (jwt.InvalidTokenError, ValueError):
            raise exceptions.AuthenticationFailed("The access token is invalid or has expired")

    def authenticate_header(self, request):
        return "Bearer"
