from django.urls import path

from . import views

app_name = "burden"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.dashboard, name="dashboard"),
    path("<str:code>/account/", views.account, name="account"),
    path("<str:code>/account/<str:key>/", views.rows, name="rows"),
]
