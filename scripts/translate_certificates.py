"""Fill the Chinese catalogues of certificates/, documents/ and notifications/ from the tables below.

Run after `manage.py makemessages -l zh_Hans` in each app; it also writes the compiled .mo files.
An entry missing here stays untranslated, and tests/test_translations.py says which.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent

NOTIFICATIONS = {
    "Notifications": "通知",
    "user": "用户",
    "kind": "类型",
    "about (type)": "关联对象类型",
    "about (id)": "关联对象编号",
    "link": "链接",
    "subject": "标题",
    "message": "内容",
    "key": "去重键",
    "created": "创建时间",
    "read at": "阅读时间",
    "e-mailed at": "邮件发送时间",
    "e-mail attempts": "邮件发送次数",
    "notification": "通知",
    "notifications": "通知",
    "Mark all read": "全部标为已读",
    "No notifications.": "暂无通知。",
}

DOCUMENTS = {
    "Documents": "文书",
    "series": "编号序列",
    "last number": "最后编号",
    "document series": "文书编号序列",
    "kind": "类型",
    "number": "编号",
    "title": "标题",
    "division": "行政区划",
    "about (type)": "关联对象类型",
    "about (id)": "关联对象编号",
    "content": "内容",
    "public": "公开",
    "by": "出具人",
    "document": "文书",
    "documents": "文书",
    "Show the document as a web page": "以网页形式查看此文书",
    "PDF documents cannot be produced on this server: the WeasyPrint libraries are missing "
    "(install the Debian packages libpango-1.0-0 and libpangoft2-1.0-0). The record itself is kept.": (
        "本服务器暂时无法生成 PDF 文书：缺少 WeasyPrint 所需的系统库（请安装 Debian 软件包 "
        "libpango-1.0-0 和 libpangoft2-1.0-0）。登记记录已保存，不受影响。"
    ),
    "PDF documents cannot be produced on this server: the Chinese fonts are missing "
    "(install the Debian package fonts-noto-cjk). The record itself is kept.": (
        "本服务器暂时无法生成 PDF 文书：缺少中文字体（请安装 Debian 软件包 fonts-noto-cjk）。"
        "登记记录已保存，不受影响。"
    ),
}


def fill(app: str, table: dict[str, str]) -> list[str]:
    path = ROOT / app / "locale/zh_Hans/LC_MESSAGES/django.po"
    po = polib.pofile(str(path))
    for entry in po.obsolete_entries():
        po.remove(entry)
    missing = []
    for entry in po:
        if entry.msgid_plural:
            zh = table.get(entry.msgid)
            if zh:
                entry.msgstr_plural = {0: zh}
        elif entry.msgid in table:
            entry.msgstr = table[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if not entry.translated():
            missing.append(entry.msgid)
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "zh_Hans"
    po.save()
    po.save_as_mofile(str(path.with_suffix(".mo")))
    return missing


if __name__ == "__main__":
    from zh_certificates import CERTIFICATES

    tables = {"notifications": NOTIFICATIONS, "documents": DOCUMENTS, "certificates": CERTIFICATES}
    for app, table in tables.items():
        for msgid in fill(app, table):
            print(f"{app}: untranslated: {msgid!r}")
