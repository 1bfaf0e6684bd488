"""Simplified Chinese messages: search (搜索) in the desk and `deskui list`.

To be merged into `i18n/zh_cn.py` (`MESSAGES`); entries already there are not repeated.
"""

MESSAGES: dict[str, str] = {
    "Best match": "最佳匹配",
    "No tickets match “{term}”": "没有与“{term}”匹配的工单",
    "No tickets in this view": "此视图中没有工单",
    "Searching “{term}”…": "正在搜索“{term}”…",
    "Search is limited to {limit} characters ({length} typed).": (
        "搜索最多 {limit} 个字符（已输入 {length} 个）。"
    ),
    "“{term}” is one character: type at least two (a full name such as 张伟, "
    "or more digits of the phone).": (
        "“{term}”只有一个字：请至少输入两个字（如完整姓名“张伟”，或电话号码的更多位数）。"
    ),
    "Search is limited to {limit} words.": "搜索最多 {limit} 个词。",
    "--limit must be between 1 and {limit}": "--limit 必须在 1 到 {limit} 之间",
    "{shown} of {total} tickets": "共 {total} 个工单，显示 {shown} 个",
}
