from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("notices/<str:code>/", views.notices, name="notices"),
]
