"""Simplified Chinese messages: the desk's API (a server that cannot be reached).

Merged into `i18n/zh_cn.py` (`MESSAGES`). 工单 is "ticket".
"""

MESSAGES: dict[str, str] = {
    "The deskui server could not be reached ({detail}). Nothing was saved; try again.": (
        "无法连接 deskui 服务器（{detail}）。未保存任何内容，请重试。"
    ),
}
