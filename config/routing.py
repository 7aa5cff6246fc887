"""Every websocket route of the platform, collected from the apps. All live under /ws/."""

from community.routing import websocket_urlpatterns as community_routes

websocket_urlpatterns = [*community_routes]
