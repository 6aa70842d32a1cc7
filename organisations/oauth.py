"""OAuth2 scopes per portal: a client may request only the scopes it was given."""

from oauth2_provider.scopes import SettingsScopes


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
