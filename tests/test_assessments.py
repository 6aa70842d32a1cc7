"""Assessments (issue 14): the list, the township's integrated assessment with its trace warnings, the survey."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import selectors, services, sms
from assessments.burden_sources import DEFAULT_HOURS, SOURCES
from assessments.choices import AppliesTo, PlanStatus
from assessments.models import Ballot, Criterion, PhoneCode, Score, Tally
from divisions.models import Division

PHONE = "13800138000"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Ask for a code; the text goes out after commit, so run the test transaction's callbacks."""

    def _send(survey, phone=PHONE, address="10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return services.survey_code_send(survey=survey, phone=phone, address=address)

    return _send


@pytest.fixture
def answer(send):
    def _answer(survey, phone=PHONE, answers=None, address="10.0.0.1"):
        token = send(survey, phone, address)
        code = sms.last_code_for(phone)
        assert code and len(code) == 6
        answers = answers or {q.pk: 4 for q in survey.assessment.questions.all()}
        services.survey_answer(survey=survey, token=token, code=code, answers=answers, address=address)
        return token, code

    return _answer


# --- the list ---------------------------------------------------------------------------------


def test_published_list_and_the_seams_for_communities_and_monitors(world, assessment_list):
    assert selectors.published_list_exists(world.county, AppliesTo.VILLAGES)
    assert not selectors.published_list_exists(world.county, AppliesTo.COMMUNITIES)
    assert not selectors.published_list_exists(world.county, AppliesTo.VILLAGES, on=date(2024, 12, 31))
    listed = selectors.listed_assessment(world.county, "文明村评选")
    assert listed.listed and listed.item.name == "文明村镇评比"
    unlisted = selectors.listed_assessment(world.county, "微信公众号关注量排名")
    assert not unlisted.listed and "《关于开展村（社区）减负工作的实施方案》第13项" in unlisted.rule
    assert not selectors.listed_assessment(world.other_county, "文明村镇评比").listed


def test_a_list_for_both_counts_for_communities(world):
    keeper = world.user("keeper")
    both = services.assessment_list_create(
        division=world.county, applies_to=AppliesTo.BOTH, name="清单", user=keeper
    )
    draft = services.draft_get_or_create(assessment_list=both, user=keeper)
    services.item_save(
        version=draft,
        data={
            "kind": "assessment",
            "name": "综合考评",
            "owner": "乡镇",
            "frequency": "yearly",
            "measures": "满意度",
            "basis_missing": True,
        },
        user=keeper,
    )
    services.version_publish(version=draft, effective_from=date(2025, 1, 1), user=keeper)
    assert selectors.published_list_exists(world.county, AppliesTo.COMMUNITIES)


def test_item_needs_owner_measures_and_a_basis_or_the_flag(world, assessment_list):
    draft = services.draft_get_or_create(assessment_list=assessment_list, user=world.user("keeper"))
    before = draft.items.count()
    with pytest.raises(ValidationError) as exc:
        services.item_save(
            version=draft,
            data={"kind": "veto", "name": "某一票否决", "frequency": "yearly"},
            user=world.user("keeper"),
        )
    assert set(exc.value.message_dict) == {"owner", "measures", "basis"}
    assert draft.items.count() == before


def test_only_the_county_keeper_edits_the_county_list(world, assessment_list):
    with pytest.raises(PermissionDenied):
        services.draft_get_or_create(assessment_list=assessment_list, user=world.user("township"))


def test_public_list_page_and_export_without_login(client, world, assessment_list):
    page = client.get("/assessments/lists/150223/villages/")
    assert page.status_code == 200 and "信访维稳一票否决" in page.content.decode()
    export = client.get("/assessments/lists/150223/villages/export.csv")
    assert export.status_code == 200 and "考核评比项目" in export.content.decode("utf-8-sig")
    assert client.get("/assessments/check/?division=150223&q=党建考核").status_code == 200


# --- the integrated assessment -------------------------------------------------------------------


def test_a_trace_criterion_is_warned_with_the_rule(world, plan):
    warned = {c.name: c.warnings() for c in plan.criteria.all()}
    assert warned["群众满意度"] == [] and warned["群众反映问题解决率"] == []
    (warning,) = warned["台账资料完整规范"]
    assert "留痕" in warning.rule and "内蒙古自治区《关于规范村级组织工作事务" in warning.rule


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                {"name": "", "measures": "x", "weight": 50},
                {"name": "群众满意度", "weight": 50, "is_satisfaction": True},
            ],
            "没有名称",
        ),
        (
            [{"name": "解决率", "weight": 50}, {"name": "群众满意度", "weight": 40, "is_satisfaction": True}],
            "合计须为100",
        ),
        ([{"name": "解决率", "weight": 60}, {"name": "办结率", "weight": 40}], "群众满意度"),
    ],
)
def test_bad_criteria_are_refused_in_chinese_and_write_nothing(world, plan, rows, message):
    before = list(Criterion.objects.filter(assessment=plan).values_list("name", "weight"))
    with pytest.raises(ValidationError) as exc:
        services.criteria_save(
            assessment=plan, method="x", criteria=rows, questions=["满意吗？"], user=world.user("township")
        )
    assert any(message in m for m in exc.value.message_dict["criteria"])
    assert list(Criterion.objects.filter(assessment=plan).values_list("name", "weight")) == before


def test_another_township_cannot_touch_the_assessment(world, plan):
    with pytest.raises(PermissionDenied):
        services.plan_submit(assessment=plan, user=world.user("township_b"))


def test_county_returns_with_a_reason_then_approves(world, plan):
    township, approver = world.user("township"), world.user("approver")
    services.plan_submit(assessment=plan, user=township)
    with pytest.raises(ValidationError):
        services.plan_decide(assessment=plan, outcome="return", reason=" ", user=approver)
    with pytest.raises(PermissionDenied):
        services.plan_decide(assessment=plan, outcome="approve", reason="同意", user=township)
    services.plan_decide(assessment=plan, outcome="return", reason="台账资料属留痕，请删去", user=approver)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    services.criteria_save(
        assessment=plan,
        method=plan.method,
        criteria=[
            {"name": "群众满意度", "weight": 60, "is_satisfaction": True},
            {"name": "问题解决率", "weight": 40},
        ],
        questions=list(plan.questions.values_list("text", flat=True)),
        user=township,
    )
    services.plan_submit(assessment=plan, user=township)
    services.plan_decide(assessment=plan, outcome="approve", reason="同意", user=approver)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decisions.count() == 2


# --- the survey ----------------------------------------------------------------------------------


def test_one_answer_per_phone_and_the_phone_never_stored(world, survey, answer):
    answer(survey)
    assert Ballot.objects.filter(survey=survey).count() == 1
    with pytest.raises(ValidationError) as exc:
        services.survey_code_send(survey=survey, phone=PHONE, address="10.0.0.2")
    assert "已经参与" in exc.value.message_dict["phone"][0]
    stored = [
        *PhoneCode.objects.values_list("phone_hash", "ip_hash", "code_hash", "token"),
        *Ballot.objects.values_list("phone_hash"),
    ]
    assert all(PHONE not in value for row in stored for value in row)


def test_a_replayed_code_is_refused_and_counts_nothing(world, survey, answer):
    token, code = answer(survey)
    counted = sum(Tally.objects.filter(survey=survey).values_list("count", flat=True))
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(
            survey=survey,
            token=token,
            code=code,
            answers={q.pk: 5 for q in survey.assessment.questions.all()},
            address="10.0.0.1",
        )
    assert "已使用" in exc.value.message_dict["code"][0]
    assert sum(Tally.objects.filter(survey=survey).values_list("count", flat=True)) == counted


def test_an_answer_out_of_range_is_refused_in_chinese_and_counts_nothing(world, survey, send):
    token = send(survey)
    questions = list(survey.assessment.questions.all())
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(
            survey=survey,
            token=token,
            code=sms.last_code_for(PHONE),
            answers={questions[0].pk: 6, questions[1].pk: 3},
            address="10.0.0.1",
        )
    assert "1（很不满意）到5（很满意）" in exc.value.message_dict[f"q{questions[0].pk}"][0]
    assert not Ballot.objects.exists() and not Tally.objects.filter(count__gt=0).exists()
    assert PhoneCode.objects.get(token=token).used_at is None  # the code is still good for a corrected answer


def test_wrong_codes_are_limited(world, survey, send):
    token = send(survey)
    answers = {q.pk: 3 for q in survey.assessment.questions.all()}
    good = sms.last_code_for(PHONE)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(services.surveys.MAX_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.survey_answer(
                survey=survey, token=token, code=wrong, answers=answers, address="10.0.0.1"
            )
    with pytest.raises(ValidationError) as exc:
        services.survey_answer(survey=survey, token=token, code=good, answers=answers, address="10.0.0.1")
    assert "次数过多" in exc.value.message_dict["code"][0]
    assert not Ballot.objects.exists()


def test_sends_are_limited_per_phone(world, survey, send):
    for _ in range(services.surveys.SENDS_PER_PHONE_PER_HOUR):
        send(survey, PHONE, "10.0.0.9")
    with pytest.raises(ValidationError) as exc:
        services.survey_code_send(survey=survey, phone=PHONE, address="10.0.0.10")
    assert "一小时" in exc.value.message_dict["phone"][0]


def test_satisfaction_shown_from_the_minimum_group_and_fed_into_the_results(world, survey, answer):
    approver, township = world.user("approver"), world.user("township")
    for i in range(services.MIN_RESPONSES - 1):
        answer(survey, phone=f"1390000{i:04d}", address=f"10.0.1.{i}")
    figure = selectors.survey_figure(survey)
    assert figure.responses == services.MIN_RESPONSES - 1 and not figure.shown and figure.satisfaction is None
    answer(survey, phone="13911112222", answers={q.pk: 5 for q in survey.assessment.questions.all()})
    figure = selectors.survey_figure(survey)
    # Nine answered 4 (75), one 5 (100), on every question: 77.5.
    assert figure.shown and figure.satisfaction == 77.5
    plan = survey.assessment
    services.plan_submit(assessment=plan, user=township)
    services.plan_decide(assessment=plan, outcome="approve", reason="同意", user=approver)
    others = list(plan.criteria.filter(is_satisfaction=False))
    for village in (world.village_a1, world.village_a2):
        services.scores_save(
            assessment=plan, village=village, values={c.pk: 80 for c in others}, user=township
        )
    with pytest.raises(ValidationError):
        services.scores_save(
            assessment=plan, village=world.village_a1, values={others[0].pk: 101}, user=township
        )
    assert Score.objects.filter(village=world.village_a1, criterion=others[0]).get().value == 80
    rows = {r.village.pk: r for r in selectors.results(plan)}
    # 77.5 × 50% + 80 × 30% + 80 × 20%
    assert rows[world.village_a1.pk].total == Decimal("78.8")
    assert rows[world.village_a2.pk].total is None  # no survey yet: not a made-up 0
    services.plan_publish(assessment=plan, user=township)
    page = selectors.published_assessments(world.village_a1)
    assert list(page) == [plan]


def test_burden_source_counts_listed_assessments_with_their_frequency(world, assessment_list, plan):
    (source,) = SOURCES
    villages = Division.objects.filter(code__startswith="150223", level=5)
    figures = source.per_village(villages, date(2026, 6, 1))
    count, hours, estimated = figures[world.village_a1.pk]
    # 5 items: 6h×1, 8h×1, default×1, 3h×4, 2h×1 (the draft integrated assessment is not yet placed).
    assert count == 5 and hours == 6 + 8 + DEFAULT_HOURS + 12 + 2 and estimated
    assert source.per_village(Division.objects.filter(pk=world.village_c1.pk), date(2026, 6, 1)) is None
    assert len(source.rows(villages, date(2026, 6, 1), limit=3)) == 3
