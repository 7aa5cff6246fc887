from django.urls import path

from community import consumers

websocket_urlpatterns = [
    path("ws/ping/", consumers.PingConsumer.as_asgi()),
    path("ws/forum/thread/<int:thread_id>/", consumers.ThreadConsumer.as_asgi()),
    path("ws/forum/journey/<int:journey_id>/", consumers.JourneyForumConsumer.as_asgi()),
    path("ws/forum/plein/", consumers.PleinConsumer.as_asgi()),
    path("ws/borden/<int:board_id>/", consumers.BoardConsumer.as_asgi()),
    path("ws/meldingen/", consumers.NotificationConsumer.as_asgi()),
]
