"""Simplified Chinese messages: the monthly report screen (ui/screens/report.py)."""

MESSAGES: dict[str, str] = {
    "Report": "报表",
    "Monthly report": "月度分析报告",
    "Previous month": "上个月",
    "Next month": "下个月",
    "Save": "保存",
    "Reload": "刷新",
    "Back": "返回",
    "Cancel": "取消",
    "Building the report…": "正在生成报告…",
    "Could not build the report:": "无法生成报告：",
    "Report month": "报告月份",
    "[ ] month, arrows scroll, s save, escape back": "[ ] 切换月份，方向键滚动，s 保存，Esc 返回",
    "There is no later month yet.": "还没有更晚的月份。",
    "The report is still being built.": "报告仍在生成中。",
    "Save the report as": "报告另存为",
    "The extension picks the format: .xlsx, .md, .csv or .html.": "按扩展名决定格式：.xlsx、.md、.csv 或 .html。",
    "Enter saves, escape cancels.": "回车保存，Esc 取消。",
    "Use a file name ending in .xlsx, .md, .csv or .html.": "文件名须以 .xlsx、.md、.csv 或 .html 结尾。",
    "Could not save:": "无法保存：",
    "Saved to": "已保存到",
}
