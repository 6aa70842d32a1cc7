"""Fill the Chinese catalogues of the foundation (locale/) and signage from the table below.

Run after `manage.py makemessages`; it also writes the compiled .mo files.
"""

from pathlib import Path

import polib

ZH = {
    "Audit trail": "审计记录",
    "time": "时间",
    "actor": "操作人",
    "actor name": "操作人姓名",
    "action": "操作",
    "object type": "对象类型",
    "object id": "对象编号",
    "object": "对象",
    "division": "行政区划",
    "summary": "摘要",
    "before": "变更前",
    "after": "变更后",
    "IP address": "IP 地址",
    "request id": "请求编号",
    "audit event": "审计事件",
    "audit events": "审计事件",
    "Certificates": "证明事项",
    "Administrative divisions": "行政区划",
    "parent code": "上级代码",
    "level": "层级",
    "code prefix": "代码前缀",
    "name contains": "名称包含",
    "province / autonomous region": "省（自治区）",
    "prefecture / league": "市（盟）",
    "county / banner / district": "县（旗、区）",
    "township / sumu / street": "乡镇（苏木、街道）",
    "village / gacha / community": "村（嘎查、社区）",
    "village": "村",
    "urban community": "城市社区",
    "farming area": "农区",
    "pastoral area": "牧区",
    "urban": "城镇",
    "A division code has exactly 12 digits.": "区划代码必须为 12 位数字。",
    "code": "代码",
    "name": "名称",
    "parent": "上级",
    "settlement kind": "村居类型",
    "area type": "区域类型",
    "central village": "中心村",
    "households": "户数",
    "service-centre floor area (m²)": "综合服务设施面积（平方米）",
    "divisions": "行政区划",
    "Registry": "登记信息",
    "Organisations and people": "机构与人员",
    "county Party committee and government": "县级党委和政府",
    "organisation department": "组织部门",
    "civil affairs bureau": "民政部门",
    "agriculture and rural affairs bureau": "农业农村（农牧）部门",
    "other county department or mass organisation": "其他县直部门或群团组织",
    "provincial department": "省级部门",
    "government portal": "政务服务平台",
    "township staff": "乡镇工作人员",
    "department submitter": "部门申报人",
    "county reviewer": "县级审核人",
    "county approver": "县级审批人",
    "county catalogue keeper": "县级清单管理员",
    "provincial admin": "省级管理员",
    "burden monitor": "负担监测员",
    "auditor (read-only)": "审计员（只读）",
    "portal client (API only)": "平台接口用户（仅 API）",
    "You were signed out after a period of inactivity.": "长时间未操作，您已自动退出登录。",
    "kind": "类型",
    "e-mail": "电子邮箱",
    "organisation": "机构",
    "organisations": "机构",
    "role": "角色",
    "display name": "显示名称",
    "phone": "电话",
    "API scopes": "接口权限范围",
    "Portal clients only: the OAuth2 scopes this client may request.": "仅平台接口用户：可申请的 OAuth2 权限范围。",
    "user": "用户",
    "users": "用户",
    "Every user needs a role and an organisation.": "每个用户都必须有角色和所属机构。",
    "A %(role)s cannot belong to a %(kind)s.": "%(role)s不能隶属于%(kind)s。",
    "Plaques and working mechanisms": "机制牌子",
    "Pages": "分页",
    "Village Burden Registry": "村级减负登记系统",
    "Menu": "菜单",
    "Workbench": "工作台",
    "Public lists": "公开清单",
    "Language": "语言",
    "Switch": "切换",
    "administrator": "系统管理员",
    "Log out": "退出登录",
    "Log in": "登录",
    "Close": "关闭",
    "Within the list: must be done; outside the list: must be approved; negative list: must not.": "清单之内必执行、清单之外要批准、负面清单不得为。",
    "Divisions": "行政区划",
    "Name or code": "名称或代码",
    "Search": "搜索",
    "Up one level": "返回上一级",
    "below": "下级",
    "Nothing found.": "未找到。",
    "policy minimum %(m)s m²": "政策最低标准 %(m)s 平方米",
    "Below": "下级区划",
    "Account locked": "账号已锁定",
    "Too many failed log-in attempts. Try again in 30 minutes, or ask your administrator to unlock the account.": "登录失败次数过多。请 30 分钟后再试，或请管理员解锁。",
    "You have logged out.": "您已退出登录。",
    "Log in again": "重新登录",
    "Your username and password did not match. Please try again.": "用户名或密码不正确，请重试。",
    "Username": "用户名",
    "Password": "密码",
    "Catalogues": "事项清单",
    "Access gate": "准入审批",
    "API": "接口",
    "action, e.g. auth.": "操作，如 auth.",
    "Filter": "筛选",
    "No events.": "暂无记录。",
    "Jurisdiction": "管辖范围",
    "Published work-affairs lists": "已公布的村级组织工作事项清单",
    "Every county publishes what its villages must do, what they assist with, and what may never be made their responsibility.": "各县公布村级组织依法履职事项、协助事项，以及不得作为其责任主体的负面事项。",
    "No catalogue has been published yet.": "尚未公布清单。",
    "Every login, refusal, import, publication and decision in your jurisdiction, read-only.": "管辖范围内的每一次登录、拒绝访问、导入、发布和决定，只读。",
    "Open audit trail": "查看审计记录",
    "County catalogue": "县级事项清单",
    "Keep the county's autonomy, assist and negative lists; adopt changes from the provincial guidance.": "维护本县自治、协助和负面清单；采纳省级指导目录的变更。",
    "Open catalogues": "打开事项清单",
    "Approval queue": "待审批",
    "Approve, reject or return requests once the three departments have reviewed them.": "组织、民政、农业农村三部门审核后，批准、驳回或退回申请。",
    "Open approval queue": "打开待审批列表",
    "Review queue": "待审核",
    "Record the opinion of %(dept)s on each access request.": "为每项准入申请填写%(dept)s的审核意见。",
    "Open review queue": "打开待审核列表",
    "Access requests": "准入申请",
    "Work outside the county's lists reaches villages only after county approval. File a request and follow it here.": "清单之外的工作须经县级批准方可派交村级组织。在此提交并跟踪申请。",
    "My access requests": "我的准入申请",
    "Monitoring point": "负担监测点",
    "The villages you monitor. Burden reports (tasks, forms, plaques, certificates, inspections) are recorded per village.": "您监测的村。按村记录代办事项、表格填报、机制牌子、证明事项、迎检信息等负担情况。",
    "My villages": "我的村",
    "API access": "接口访问",
    "Portal clients use the REST API with OAuth2 client credentials.": "平台通过 OAuth2 客户端凭证调用 REST 接口。",
    "API documentation": "接口文档",
    "Guidance catalogue": "指导目录",
    "Edit, publish, import and export the provincial guidance catalogue.": "编辑、发布、导入和导出省级指导目录。",
    "Browse the province's divisions and correct village attributes.": "浏览全省行政区划，更正村级属性。",
    "Browse divisions": "浏览行政区划",
    "Administration": "系统管理",
    "Site administration": "后台管理",
    "See what each village is asked to do, and record its burden.": "查看各村承担的事项，记录负担情况。",
    "Open village list": "打开村列表",
    "created": "创建时间",
    "updated": "更新时间",
    "Export CSV": "导出 CSV",
    "Work-affairs catalogue": "村级工作事务清单",
    "Access decisions": "准入审批结果",
    "Notifications": "通知",
    "The villages of your township, with their attributes (settlement kind, households, service-centre floor area).": "本乡镇各村及其属性（村居类型、户数、综合服务设施面积）。",
    "The villages you monitor, and every task that reached them with the approval or list item it comes from.": "您监测的村，以及派交到这些村的每一项任务及其来源（准入批准或清单事项）。",
    "Village tasks": "村级任务",
    # signage
    "outside the service centre": "综合服务设施外部",
    "inside the service centre": "综合服务设施内部",
    "plaque": "标牌",
    "emblem": "标识",
    "province": "省（自治区）",
    "placement": "位置",
    "order": "顺序",
    "ground colour": "底色",
    "text colour": "字色",
    "typeface": "字体",
    "size": "尺寸",
    "material": "材质",
    "note": "说明",
    "source": "依据",
    "plaque rule": "挂牌规范",
    "plaque rules": "挂牌规范",
    "colours": "颜色",
    "%(g)s ground, %(t)s text": "%(g)s底%(t)s字",
    "No rules recorded for this province.": "本省尚无挂牌规范记录。",
    "Plaque rules": "挂牌规范",
    "Plaques a village may hang": "村级综合服务设施悬挂牌子清单",
    "Only the plaques and emblems listed here may hang at a village's service centre; any other is to be removed.": "村级综合服务设施只悬挂本清单所列标牌和标识，其他牌子一律不得悬挂。",
    "Outside the service centre": "外部挂牌",
    "Inside the service centre": "内部挂牌",
    "Print": "打印",
}
PLURALS = {"%(n)s village in jurisdiction": ["管辖 %(n)s 个村"]}


ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [ROOT / "locale", ROOT / "signage" / "locale"]


def main() -> None:
    for folder in CATALOGUES:
        translate(folder / "zh_Hans" / "LC_MESSAGES" / "django.po")


def translate(path: Path) -> None:
    po = polib.pofile(str(path))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            if entry.msgid in PLURALS:
                entry.msgstr_plural = dict(enumerate(PLURALS[entry.msgid]))
            else:
                missing.append(entry.msgid)
        elif entry.msgid in ZH:
            entry.msgstr = ZH[entry.msgid]
        elif not entry.msgstr:
            missing.append(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    if missing:
        raise SystemExit(f"untranslated in {path}:\n" + "\n".join(missing))


if __name__ == "__main__":
    main()
