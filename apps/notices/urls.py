from django.urls import path

from . import views
from .feeds import NoticeAtomFeed, NoticeRssFeed

app_name = "notices"
urlpatterns = [
    path("notices/", views.index, name="index"),
    path("notices/desk/", views.desk, name="desk"),
    path("notices/desk/new/", views.notice_new, name="create"),
    path("notices/desk/<int:pk>/", views.notice_edit, name="edit"),
    path("notices/desk/<int:pk>/change/", views.notice_change, name="change"),
    path("notices/desk/<int:pk>/attach/", views.notice_attach_view, name="attach"),
    path(
        "notices/desk/attachments/<int:pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("notices/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("notices/<str:code>/", views.board, name="board"),
    path("notices/<str:code>/rss/", NoticeRssFeed(), name="rss"),
    path("notices/<str:code>/atom/", NoticeAtomFeed(), name="atom"),
    path("notices/<str:code>/<int:pk>/", views.notice_detail, name="notice"),
]
