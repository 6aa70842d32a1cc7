from django.urls import path

from . import views

app_name = "signage"

urlpatterns = [path("<str:code>/", views.rules, name="rules")]
