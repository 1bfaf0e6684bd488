"""Chinese for the readability work (issue 16): legends, timeline sentences, SLA lines."""

MESSAGES: dict[str, str] = {
    # timeline in words
    ", ": "，",
    "{before} → {after}": "{before} → {after}",
    "{field}: {change}": "{field}：{change}",
    "+{minutes} min": "+{minutes} 分钟",
    "level {level}": "第 {level} 级",
    "attempt {n}": "第 {n} 次",
    "reached: {answer}": "联系上：{answer}",
    "solved: {answer}": "已解决：{answer}",
    "satisfaction {score}/5": "满意度 {score}/5",
    "resolution due → {time}": "解决时限 → {time}",
    "Customer tier": "客户类型",
    "Refused": "已拒绝",
    "Calendar changed": "日历已修改",
    # ticket panel
    "due {time}": "时限 {time}",
    "{left} ({clock})": "{left}（{clock}）",
    "in warranty until {day}": "在保修期内，至 {day}",
    "out of warranty, ended {day}": "已过保修期，截止于 {day}",
    # KPI panel and its legend
    "Below 80% of target this week: {names}": "本周低于目标 80%：{names}",
    "Above the maximum this week: {names}": "本周超出上限：{names}",
    "No KPI warns this week": "本周没有指标预警",
    "target met": "达标",
    "target not met": "未达标",
    "warning: below 80% of target, or a maximum exceeded": "预警：低于目标 80%，或超出上限",
    "no target": "无目标",
    "Goal": "目标",
}
