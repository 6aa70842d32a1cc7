"""The shared notifications outbox: any app's object as target, the inbox page, the e-mail sweep."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify, send_emails

pytestmark = pytest.mark.django_db


def test_a_notification_names_its_target_and_links_to_it(world, client):
    user = world.user("township")
    village = world.village_a1
    ids = notify([user, user], kind="custom", target=village, subject="测试通知", url="/somewhere/")
    assert len(ids) == 1  # one per user
    n = Notification.objects.about(village).get()
    assert (n.target_type, n.target_id, n.target_url) == ("divisions.division", village.pk, "/somewhere/")
    client.force_login(user)
    page = client.get(reverse("notifications:inbox"))
    assert "测试通知" in page.content.decode() and 'href="/somewhere/"' in page.content.decode()
    # another user does not see it
    client.force_login(world.user("township_b"))
    assert "测试通知" not in client.get(reverse("notifications:inbox")).content.decode()


def test_a_key_sends_a_reminder_once_and_the_sweep_emails_it(world):
    user = world.user("township")
    user.email = "t@example.org"
    user.save()
    notify([user], kind="reminder", target=None, subject="逾期提醒", key="k:1")
    notify([user], kind="reminder", target=None, subject="逾期提醒", key="k:1")
    assert Notification.objects.filter(user=user, dedupe_key="k:1").count() == 1
    mail.outbox.clear()
    Notification.objects.update(emailed_at=None)
    assert send_emails() >= 1
    assert any(m.to == ["t@example.org"] for m in mail.outbox)


def test_the_old_gate_inbox_link_redirects(world, client):
    client.force_login(world.user("township"))
    response = client.get("/gate/notifications/")
    assert response.status_code == 302 and response["Location"] == reverse("notifications:inbox")
