"""OpenAPI description of how portals authenticate: OAuth2 client credentials."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PortalOAuth2Scheme(OpenApiAuthenticationExtension):
    target_class = "organisations.oauth.PortalOAuth2Authentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/o/token/",
                    "scopes": settings.OAUTH2_PROVIDER["SCOPES"],
                }
            },
        }
