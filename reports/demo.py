"""The demo county's task-division table and its first reports (called by ``manage.py seed_demo``).

The table is seed 004's annex (全县村(社区)减负工作任务分工一览表 of a county's
实施方案) as written: 17 tasks, their measures, lead and responsible units and
deadlines. Where the seed's text runs the unit cells together, the split between
lead and responsible units is our reading (said in each row's source). The seed
gives each deadline as a month and ten-day period (8月上旬) but no year, so no
deadline date is set (never invented): the keeper enters the dates of the year the
county adopts the plan, and the reminders then follow them. 长期坚持 rows are
standing tasks. Safe to re-run: a county that already has a table is left as it is.
"""

from __future__ import annotations

from django.utils import timezone

from divisions.models import Division
from organisations.models import User

from . import services
from .choices import PlanStatus, ReportKind
from .models import PlanTask

COUNTY = "150223000000"
SOURCE = "种子文件004 附件 任务分工一览表 第{n}项"
SPLIT_READ = "（牵头单位与责任单位之分据原文判读）"

# number, task, measure, lead units, responsible units, deadline as written
PLAN = [
    (1, "明确基层职能职责", "围绕公共事项、公共服务、公共管理、公共安全和服务发展、改革、民生、党的建设等方面，进一步厘清政府职能部门与村（社区）的关系及责任边界。", "县政府办", "县委编办、县民政局", "8月上旬"),
    (2, "明确基层职能职责", "参照市级工作清单，依法依规厘清村（社区）自治事项清单、协助工作事项清单和负面清单，建立工作事项准入制度，清单经县政府常务会研究后，报县委常委会审定实施。", "县民政局", "县委办、县政府办、县委组织部", "8月中旬"),
    (3, "规范基层工作流程", "坚持“谁交办任务、谁建立流程”原则，对确由村（社区）协助的事项清单进行分类赋码，统一设计规范事项办理的依据、标准、条件、材料等，规范事项流程化办理路径。", "县行政审批局", "县直各单位", "8月下旬"),
    (4, "规范基层工作流程", "依托XX“XX”政务服务平台，推进智慧社区建设，对村（社区）工作事项“一网通办”“一网统管”，严格审批管理、信息共享、优化准入机制，实现一次采集、多方利用、共同维护。", "县行政审批局", "县直各单位", "12月下旬"),
    (5, "强化基层工作保障", "全面梳理部门延伸至社区的服务事项落实经费和人员保障情况，建立实行“费随事转”机制，足额保障村（社区）运转经费，落实村（社区）干部待遇正常增长机制。", "县财政局、县委编办", "县民政局、各乡镇", "8月下旬"),
    (6, "强化基层工作保障", "根据有关政策，研究解决村（社区）干部普遍反映的误餐费、电话费、交通费、夜班值班费等事项。", "县政府办", "县纪委监委机关、县财政局", "10月下旬"),
    (7, "强化基层工作保障", "通过规划新建、房产清理移交、闲置用房划转、老旧小区改造等方式，推进村（社区）党群服务中心达标提质和小区邻里中心规范建设。", "县委组织部", "县自然资源和规划局、县住建局、县城管执法局、县机关事务服务中心、各乡镇", "12月下旬"),
    (8, "强化基层工作保障", "组织审计、财政等部门和乡镇，持续开展村（社区）债务清查审计，分类做好化解工作，严格控制新增债务。", "县财政局", "县审计局、各乡镇", "12月下旬"),
    (9, "加强基层队伍建设", "根据基层工作需要，依法依规科学设置村（社区）组织机构，明确岗位职责、人员分工。", "县民政局", "各乡镇", "12月下旬"),
    (10, "加强基层队伍建设", "统筹村（社区）干部、党建专员、驻点干部、下沉党员干部、物业服务企业、驻村工作队、社会志愿者等力量，建立基层治理骨干连队伍。", "县委组织部", "县委政法委、县委直属机关工委、县乡村振兴局、团县委、各乡镇", "7月下旬"),
    (11, "加强基层队伍建设", "合理划分村民小组（网格），对村（社区）干部空缺情况进行摸排，及时按程序补充到位，引导社区工作者取得社工证书。", "县民政局", "县委组织部、县委政法委、县人社局、各乡镇", "12月下旬"),
    (12, "加强基层队伍建设", "结合岗位大练兵、党务讲堂、技能培训等，开展基层干部全员培训，全面提升基层干部能力素质，锻造一支高水平基层治理队伍。", "县委组织部", "县民政局、县住建局、各乡镇", "12月下旬"),
    (13, "规范督导评价机制", "全面梳理面向村（社区）考核和“一票否决”事项，规范督导检查考核，明确每年由乡镇统一对村（社区）进行综合考评，逐步建立以群众满意度为主要衡量标准的村（社区）治理评价考核机制。", "县委办、县政府办", "县纪委监委机关、县委组织部、各乡镇", "8月中旬"),
    (14, "规范督导评价机制", "开展以“减微信群（QQ群）、减APP（公众号）、减标识标牌、减证明事项”为主要内容的专项清理，定期对清理效果进行督导评估。", "县委办、县政府办", "县纪委监委机关、县委组织部、县创文办、各乡镇", "8月下旬"),
    (15, "规范督导评价机制", "设立一批村（社区）负担情况监测点、监测员，定期收集基层负担情况，对随意向基层摊派工作任务的单位加强通报整改。", "县委组织部", "县纪委监委机关、县民政局、各乡镇", "8月下旬"),
    (16, "完善基层组织体系", "全面加强对村（社区）工作事务管理，建立联席会议制度，定期召开联席会议，研究解决村（社区）面临的困难和实际问题。", "县委办、县政府办", "各成员单位、各乡镇", "长期坚持"),
    (17, "完善基层组织体系", "以党建引领城市基层治理和党建引领乡村治理促进乡村振兴为重点，完善党建引领、政府主导、群众自治、社会参与的组织体系，加强楼宇商圈、农村产业链、经济合作组织党的建设，规范自治组织运行，健全社会组织参与基层治理机制，凝聚社会力量参与基层事务，全面提升基层治理水平。", "县委组织部", "县委政法委、县民政局、各乡镇", "长期坚持"),
]  # fmt: skip
# The seed's text has 德立 (row 2) and 瓮立 (row 16) where 建立 is meant; written 建立 above.
SPLIT_ROWS = {1, 2, 5, 13, 14, 16}  # unit cells that run together in the seed's text


def plan_rows() -> list[dict]:
    rows = []
    for n, task, measure, lead, responsible, deadline_text in PLAN:
        rows.append(
            {
                "number": n,
                "task": task,
                "measure": measure,
                "lead_units": lead,
                "responsible_units": responsible,
                "deadline_text": deadline_text,
                "deadline": None,  # the seed gives no year
                "status": PlanStatus.ONGOING if deadline_text == "长期坚持" else PlanStatus.NOT_STARTED,
                "progress": "",
                "source": SOURCE.format(n=n) + (SPLIT_READ if n in SPLIT_ROWS else ""),
            }
        )
    return rows


def seed(stdout) -> None:
    county = Division.objects.filter(code=COUNTY).first()
    keeper = User.objects.filter(username="keeper").first()
    if county is None or keeper is None:
        return
    if not PlanTask.objects.filter(division=county).exists():
        for row in plan_rows():
            services.plan_task_create(user=keeper, county=county, data=row)
    approver = User.objects.filter(username="approver").first()
    if approver is not None:
        for kind in ReportKind.values:
            services.subscription_set(user=approver, county=county, kind=kind, subscribed=True)
    today = timezone.localdate()
    made = [services.reports_run(kind=kind, today=today, counties=[county])[0] for kind in ReportKind.values]
    stdout.write(f"reports: task-division table of {county.name} ({len(PLAN)} tasks), {len(made)} reports")
