"""Simplified Chinese for the workflow rules: first contact, callbacks, quotes, visits, clocks."""

MESSAGES: dict[str, str] = {
    # KPI panel: a ceiling (e.g. complaint escalation ≤ 5%) warns "above the maximum"
    "Above the maximum this week": "本周超出上限",
    # SLA countdowns: which clock a countdown runs on
    "w": "工",
    "clock time": "自然时间",
    "working time": "工作时间",
    "extended by {minutes} min of {clock}": "已延期 {minutes} 分钟（{clock}）",
    "Counted in clock time: this target runs round the clock.": "按自然时间计：该时限全天候计时。",
    "Counted in working time: the business calendar's hours.": "按工作时间计：以工作日历的工作时段计。",
    # closing before the callback, first contact
    "Reason (required: the callback has not been made)": "原因（必填：尚未回访）",
    "Give a reason: the callback has not been made.": "请填写原因：尚未回访。",
    "This ticket was reopened: it was not solved at first contact.": "该工单曾被重新打开，不属于一次性解决。",
    # reveals
    "Reveal refused": "查看联系方式被拒绝",
    # repairs and visits
    "missed visit: reschedule or record the work": "上门已错过：请改约或记录维修",
    "The appointment cannot be in the past.": "预约时间不能早于现在。",
    "Charged parts": "收费配件",
    "changed after the customer accepted {amount}: needs acceptance again": (
        "客户确认 {amount} 后费用有变：需客户重新确认"
    ),
}
