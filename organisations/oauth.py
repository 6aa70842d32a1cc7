"""OAuth2 scopes per portal: a client may request only the scopes it was given."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.scopes import SettingsScopes
from rest_framework import exceptions


class PortalScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        every = super().get_available_scopes(application, request, *args, **kwargs)
        user = getattr(application, "user", None)
        if user is None or user.is_superuser:
            return every
        granted = set(user.api_scopes.split())
        return [s for s in every if s in granted]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        available = self.get_available_scopes(application, request)
        return [s for s in super().get_default_scopes(application, request) if s in available]


class PortalOAuth2Authentication(OAuth2Authentication):
    """Client-credentials tokens carry no user; act as the portal's identity.

    Each portal application belongs to a portal-client user in the portal's
    organisation, so the token is scoped by jurisdiction like any person.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, token = result
        if user is None:
            owner = token.application.user if token.application_id else None
            if owner is None or not owner.is_active:
                raise exceptions.AuthenticationFailed("this client has no active portal identity")
            user = owner
        return user, token
