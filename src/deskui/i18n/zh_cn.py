"""Simplified Chinese catalogue, using the terms of the service standards."""

from deskui.i18n.zh_cn_aftersales import MESSAGES as _AFTERSALES
from deskui.i18n.zh_cn_api import MESSAGES as _API
from deskui.i18n.zh_cn_calendar import MESSAGES as _CALENDAR
from deskui.i18n.zh_cn_cli import MESSAGES as _CLI
from deskui.i18n.zh_cn_dataio import MESSAGES as _DATAIO
from deskui.i18n.zh_cn_desk import MESSAGES as _DESK
from deskui.i18n.zh_cn_layout import MESSAGES as _LAYOUT
from deskui.i18n.zh_cn_panels import MESSAGES as _PANELS
from deskui.i18n.zh_cn_reports import MESSAGES as _REPORTS
from deskui.i18n.zh_cn_search import MESSAGES as _SEARCH
from deskui.i18n.zh_cn_server import MESSAGES as _SERVER
from deskui.i18n.zh_cn_site import MESSAGES as _SITE
from deskui.i18n.zh_cn_workflow import MESSAGES as _WORKFLOW

LABELS: dict[str, str] = {
    "Channel.phone": "电话",
    "Channel.chat": "在线客服",
    "Channel.email": "邮件",
    "Channel.wechat": "公众号",
    "Channel.app": "APP反馈",
    "Channel.web": "官网",
    "Channel.counter": "柜台",
    "Channel.social": "社交媒体",
    "Category.consult": "咨询",
    "Category.help": "求助",
    "Category.complaint": "投诉",
    "Category.suggestion": "建议",
    "Category.repair": "维修",
    "ComplaintType.quality": "产品质量",
    "ComplaintType.service": "售后服务",
    "ComplaintType.misinformation": "信息不对称",
    "ComplaintType.other": "其他",
    "Priority.urgent": "紧急",
    "Priority.important": "重要",
    "Priority.normal": "一般",
    "Tier.normal": "普通",
    "Tier.vip": "VIP",
    "Status.new": "新建",
    "Status.assigned": "已分派",
    "Status.in_progress": "处理中",
    "Status.pending_customer": "待客户反馈",
    "Status.resolved": "已解决",
    "Status.closed": "已关闭",
    "Role.agent": "客服",
    "Role.supervisor": "主管",
    "Role.qa": "质检",
    "Role.admin": "管理员",
    "SlaState.on_track": "正常",
    "SlaState.at_risk": "即将超时",
    "SlaState.breached": "已超时",
    "SlaState.paused": "已暂停",
    "SlaState.met": "已达成",
    "SlaTarget.response": "响应",
    "SlaTarget.resolution": "解决",
}


# One catalogue per area so parts of the app can be translated independently.
MESSAGES: dict[str, str] = {
    **_CLI,
    **_DESK,
    **_PANELS,
    **_REPORTS,
    **_AFTERSALES,
    **_CALENDAR,
    **_WORKFLOW,
    **_DATAIO,
    **_SEARCH,
    **_SITE,
    **_SERVER,
    **_API,
    **_LAYOUT,
}
