"""Simplified Chinese messages: the business calendar (工作日历), holidays (节假日) and
make-up working days (调休上班). Merged into `i18n/zh_cn.py` (`MESSAGES`)."""

MESSAGES: dict[str, str] = {
    # kinds and sources
    "working day": "工作日",
    "weekend": "周末",
    "holiday": "节假日",
    "workday": "上班",
    "make-up working day": "调休上班",
    "closed": "停业",
    "open": "营业",
    "package": "holidays 软件包",
    "file": "文件",
    "admin": "管理员",
    "config": "配置文件",
    "[source: {source}]": "[来源：{source}]",
    # weekday heads of the month grid
    "Mo": "一",
    "Tu": "二",
    "We": "三",
    "Th": "四",
    "Fr": "五",
    "Sa": "六",
    "Su": "日",
    # what a year rests on
    "{year}: ESTIMATED — holidays but no make-up working day: a guess, not the schedule": (
        "{year}年：估算数据 — 有节假日但没有调休上班日：是推算，不是国务院公布的安排"
    ),
    "{year}: official (holidays package) with {count} site entries": (
        "{year}年：官方数据（holidays 软件包），另有 {count} 条本站条目"
    ),
    "{year}: site data ({count} entries)": "{year}年：本站数据（{count} 条）",
    "{year}: official (holidays package)": "{year}年：官方数据（holidays 软件包）",
    "{year}: no public holidays (no holiday country and no site entries)": (
        "{year}年：没有节假日（未设置国家，也没有本站条目）"
    ),
    "Enter the schedule the day the State Council publishes it: deskui calendar import FILE": (
        "国务院公布放假安排当天录入：deskui calendar import 文件"
    ),
    "Calendar {years} ESTIMATED: no make-up working days; SLA due times around holidays "
    "may be wrong": "日历 {years} 为估算数据：没有调休上班日，节假日前后的工单时限可能不准",
    "{years} estimated": "{years} 日历为估算",
    # CLI
    "Entries ({count}):": "条目（{count}）：",
    "{text!r} is not a date (use YYYY-MM-DD)": "{text!r} 不是日期（格式 YYYY-MM-DD）",
    "(no site entry)": "（无本站条目）",
    "{file}: {dates} date(s) for {years}; {count} change(s):": (
        "{file}：{years}年共 {dates} 个日期；{count} 处变更："
    ),
    "Nothing to change.": "没有需要变更的内容。",
    "nothing applied: give --yes to apply the changes above": ("未应用：加 --yes 以应用以上变更"),
    "Apply these changes? [y/N] ": "应用这些变更？[y/N] ",
    "Nothing applied.": "未应用任何变更。",
    "Applied {count} change(s); {moved} open ticket(s) got new due times.": (
        "已应用 {count} 处变更；{moved} 个未结工单的时限已重新计算。"
    ),
    "Exported {count} date(s) to {file}": "已导出 {count} 个日期到 {file}",
    "Saved; {moved} open ticket(s) got new due times.": (
        "已保存；{moved} 个未结工单的时限已重新计算。"
    ),
    # desk screen
    "Calendar": "日历",
    "Business calendar": "工作日历",
    "Previous month": "上个月",
    "Previous day": "前一天",
    "Next day": "后一天",
    "Previous week": "上一周",
    "Next week": "下一周",
    "Next month": "下个月",
    "Mark holiday": "设为节假日",
    "Mark working day": "设为上班日",
    "Holiday": "节假日",
    "Workday": "上班日",
    "Mark the day a holiday": "把这一天设为节假日",
    "Mark the day a working day": "把这一天设为上班日",
    "Remove the site's mark of the day": "删除本站对这一天的标记",
    "Calendar {years} ESTIMATED: no make-up working days entered yet": (
        "日历 {years} 为估算：尚未录入调休上班日"
    ),
    "Day": "日期",
    "Name (optional)": "名称（可选）",
    "Read only: only supervisors and admins change the calendar.": (
        "只读：只有主管和管理员可以修改日历。"
    ),
    "{day} is now a holiday; {moved} open ticket(s) got new due times.": (
        "{day} 已设为节假日；{moved} 个未结工单的时限已重新计算。"
    ),
    "{day} is now a working day; {moved} open ticket(s) got new due times.": (
        "{day} 已设为上班日；{moved} 个未结工单的时限已重新计算。"
    ),
    "{day}: site entry removed; {moved} open ticket(s) got new due times.": (
        "{day}：已删除本站条目；{moved} 个未结工单的时限已重新计算。"
    ),
    "no entry": "无条目",
}
