from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "gate"

urlpatterns = [
    path("", views.index, name="index"),
    path("requests/new/", views.create, name="create"),
    path("requests/screen/", views.screen_preview, name="screen"),
    path("requests/<int:pk>/", views.detail, name="detail"),
    path("requests/<int:pk>/edit/", views.edit, name="edit"),
    path("requests/<int:pk>/submit/", views.submit, name="submit"),
    path("requests/<int:pk>/review/", views.review, name="review"),
    path("requests/<int:pk>/decide/", views.decide, name="decide"),
    path("requests/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("requests/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("requests/<int:pk>/renew/", views.renew, name="renew"),
    path("requests/<int:pk>/propose-listing/", views.propose_listing, name="propose_listing"),
    path("requests/<int:pk>/progress/", views.progress, name="progress"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("items/dispatch/", views.item_dispatch, name="item_dispatch"),
    # The inbox is shared by every app now (notifications/); old links still work.
    path("notifications/", RedirectView.as_view(pattern_name="notifications:inbox"), name="notifications"),
    path("public/<str:code>/", views.public, name="public"),
]
