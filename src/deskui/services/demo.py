"""Demo data: a believable, bilingual after-sales history, generated fast.

`generate_demo` fills an empty database with teams, agents, customers, products, devices,
tickets (with their timelines, SLA columns and callbacks) and the per-day number counters.

Why it does not use the ORM: a million tickets through the unit of work takes far too long.
Rows are built here as plain tuples, already converted to exactly what each column stores
(naive-UTC datetime text on SQLite, priority as its rank, enums as their values, JSON as
text), and written in chunks with the driver's bulk paths (SQLite `executemany`, PostgreSQL
`COPY`) inside one transaction; secondary indexes are dropped first and built once at the
end, full-text search is filled per chunk. For big runs a forked worker process generates
the next chunks while this one writes. Read back through the ORM, the rows look exactly like
the ones the services write (tests/services/test_demo.py checks that).

Everything random comes from `random.Random` seeded by `seed` (one generator per chunk of
days), so the same seed and `now` give the same database, with or without the worker.

Measured on the 2-core dev box: 1,000,000 tickets on SQLite in ~90 s (2.5 GB file).
"""

from __future__ import annotations

import marshal
import multiprocessing
import os
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from deskui.domain.enums import (
    Category,
    Channel,
    ComplaintType,
    Priority,
    Role,
    Status,
    TeamKind,
    Tier,
)
from deskui.domain.errors import RuleError
from deskui.domain.site import CallbackSettings
from deskui.domain.sla import SlaPolicy, SlaSettings
from deskui.domain.workflow import DISPATCH
from deskui.store.migrate import ensure_current

__all__ = ["DemoError", "DemoSummary", "generate_demo"]

Progress = Callable[[int, int], None]

SERVICE_TZ = "Asia/Shanghai"
HISTORY_DAYS = 400
# A small demo still gets a lively recent fortnight (at least ~this many tickets a day), so
# its queue has on-track, at-risk and overdue work; big demos are not affected.
RECENT_DAYS = 14
RECENT_MIN_PER_DAY = 20
CHUNK_TICKETS = 20_000
WARRANTY_YEARS_BACK = 4

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_HOUR = 3600  # generated times are whole epoch seconds
_DAY = 24 * _HOUR


class DemoError(RuleError):
    """The database cannot take demo data (it is not empty)."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Rows written per table, and how long it took."""

    teams: int
    agents: int
    customers: int
    products: int
    devices: int
    tickets: int
    events: int
    callbacks: int
    counters: int
    seconds: float

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """One 'table: count' line each, for a CLI to print."""
        counts = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "seconds"}
        width = max(len(k) for k in counts)
        shown = [f"{name:<{width}}  {count:>10,}" for name, count in counts.items()]
        return [*shown, f"{'seconds':<{width}}  {self.seconds:>10.1f}"]


# =============================================================================================
# Vocabulary
# =============================================================================================

# (name, kind, share of its kind's tickets)
TEAMS: tuple[tuple[str, TeamKind, float], ...] = (
    ("客服一组 / Customer Service 1", TeamKind.SERVICE, 0.40),
    ("客服二组 / Customer Service 2", TeamKind.SERVICE, 0.35),
    ("技术支持 / Technical Support", TeamKind.SERVICE, 0.25),
    ("产品运营 / Product & Ops", TeamKind.PRODUCT, 1.0),
    ("投诉处理 / Complaints Desk", TeamKind.COMPLAINTS, 1.0),
    ("售后工程师·北区 / After-sales Engineers North", TeamKind.ENGINEERING, 0.5),
    ("售后工程师·南区 / After-sales Engineers South", TeamKind.ENGINEERING, 0.5),
)

# (username, display name, role, index into TEAMS or None)
AGENTS: tuple[tuple[str, str, Role, int | None], ...] = (
    ("wangfang", "王芳", Role.SUPERVISOR, 0),
    ("zhangwei", "张伟", Role.AGENT, 0),
    ("lina", "李娜", Role.AGENT, 0),
    ("liuyang", "刘洋", Role.AGENT, 0),
    ("chenjing", "陈静", Role.AGENT, 0),
    ("zhaolei", "赵磊", Role.SUPERVISOR, 1),
    ("sunli", "孙丽", Role.AGENT, 1),
    ("zhouqiang", "周强", Role.AGENT, 1),
    ("emilyc", "Emily Chen", Role.AGENT, 1),
    ("wujie", "吴杰", Role.AGENT, 1),
    ("jsmith", "John Smith", Role.SUPERVISOR, 2),
    ("xuming", "徐明", Role.AGENT, 2),
    ("huangyan", "黄燕", Role.AGENT, 2),
    ("mgarcia", "Maria Garcia", Role.AGENT, 2),
    ("gaofeng", "高峰", Role.AGENT, 2),
    ("linxiao", "林晓", Role.SUPERVISOR, 3),
    ("dkim", "David Kim", Role.AGENT, 3),
    ("heping", "何平", Role.AGENT, 3),
    ("majun", "马军", Role.SUPERVISOR, 4),
    ("guoli", "郭丽", Role.SUPERVISOR, 4),
    ("swilson", "Sarah Wilson", Role.AGENT, 4),
    ("yangbo", "杨波", Role.SUPERVISOR, 5),
    ("zhugang", "朱刚", Role.AGENT, 5),
    ("hulei", "胡磊", Role.AGENT, 5),
    ("songtao", "宋涛", Role.AGENT, 5),
    ("luoqing", "罗青", Role.SUPERVISOR, 6),
    ("liangchao", "梁超", Role.AGENT, 6),
    ("tangwei", "唐伟", Role.AGENT, 6),
    ("pjones", "Peter Jones", Role.AGENT, 6),
    ("zhangqian", "张倩", Role.QA, None),
    ("ltaylor", "Lisa Taylor", Role.QA, None),
    ("admin", "系统管理员 / Administrator", Role.ADMIN, None),
)

# (model, bilingual name, warranty main/accessory/software months, family, popularity)
PRODUCTS: tuple[tuple[str, str, int, int, int, str, int], ...] = (
    ("SL-200", "智能指纹锁 / Smart Fingerprint Lock", 36, 12, 12, "lock", 22),
    ("SL-300", "智能门锁 Pro / Smart Lock Pro", 60, 12, 24, "lock", 10),
    ("SL-100", "电子密码锁 / Keypad Lock", 36, 12, 12, "lock", 6),
    ("IC-100", "室内摄像头 / Indoor Camera", 36, 12, 12, "camera", 14),
    ("OC-200", "室外摄像头 / Outdoor Camera", 24, 12, 12, "camera", 8),
    ("RT-600", "Wi-Fi 6 路由器 / Wi-Fi 6 Router", 36, 12, 12, "router", 12),
    ("RT-M3", "Mesh 路由套装 / Mesh Router Kit", 36, 12, 12, "router", 5),
    ("DB-100", "可视门铃 / Video Doorbell", 36, 12, 12, "doorbell", 9),
    ("DB-200", "智能猫眼 / Smart Peephole Camera", 36, 12, 12, "doorbell", 4),
    ("GW-10", "智能网关 / Smart Home Hub", 36, 12, 12, "hub", 4),
    ("SW-20", "智能开关 / Smart Wall Switch", 24, 12, 12, "hub", 4),
    ("SS-1", "烟雾报警器 / Smoke Alarm", 12, 6, 12, "hub", 2),
)

# Six strings: subject zh/en, description zh/en, customer request zh/en.
# {model}, {zh} and {en} are filled in per product.
Template = tuple[str, str, str, str, str, str]

HELP: dict[str, tuple[Template, ...]] = {
    "lock": (
        (
            "门锁指纹识别失败",
            "Fingerprint not recognised",
            "{model} 指纹经常识别失败，要试好几次才能开门，电池电量显示正常。",
            "The {model} often fails to read fingerprints; it takes several tries. Battery shows OK.",
            "尽快恢复正常使用",
            "Make it work reliably again",
        ),
        (
            "换了新电池仍提示低电量",
            "Low-battery alarm with new batteries",
            "刚换了新电池，{model} 每次开门还是提示电量低。",
            "Fitted new batteries but the {model} still warns about low battery on every unlock.",
            "确认是否主板故障",
            "Find out whether the board is faulty",
        ),
        (
            "门锁在 App 中显示离线",
            "Lock shows offline in the app",
            "{model} 在 App 里一直显示离线，重新配网到最后一步失败。",
            "The {model} shows offline in the app; re-pairing fails at the last step.",
            "远程协助重新配网",
            "Remote help to re-pair the lock",
        ),
        (
            "临时密码无法开门",
            "Temporary passcode rejected",
            "给保洁阿姨生成的临时密码，在 {model} 上提示无效。",
            "A temporary passcode made for the cleaner is rejected by the {model}.",
            "说明临时密码的使用规则",
            "Explain how temporary passcodes work",
        ),
    ),
    "camera": (
        (
            "摄像头夜视画面模糊",
            "Night vision image blurry",
            "{model} 晚上画面发白、看不清，白天正常。",
            "At night the {model} picture is washed out and unreadable; daytime is fine.",
            "恢复清晰的夜视画面",
            "A clear night picture",
        ),
        (
            "摄像头频繁掉线",
            "Camera keeps dropping offline",
            "{model} 每天掉线好几次，需要拔电重启才能恢复。",
            "The {model} drops offline several times a day and needs a power cycle.",
            "稳定在线",
            "Keep it online",
        ),
        (
            "云存储回放无法加载",
            "Cloud playback will not load",
            "已购买云存储，但 {model} 的回放一直转圈加载不出来。",
            "Paid for cloud storage but {model} playback spins forever.",
            "恢复回放或退还云存储费用",
            "Fix playback or refund the cloud plan",
        ),
        (
            "移动侦测误报太多",
            "Too many motion false alarms",
            "{model} 晚上树影晃动就一直推送报警。",
            "The {model} sends alerts all night for moving tree shadows.",
            "教我调整侦测灵敏度",
            "Show how to tune detection",
        ),
    ),
    "router": (
        (
            "路由器频繁掉线",
            "Router drops the connection",
            "{model} 每天掉线三四次，所有设备一起断网。",
            "The {model} drops the connection three or four times a day for every device.",
            "彻底解决掉线问题",
            "Stop the drop-outs",
        ),
        (
            "5G 频段信号弱",
            "5 GHz signal weak in the bedroom",
            "{model} 放在客厅，卧室 5G 信号只有一格。",
            "The {model} is in the living room; the bedroom gets one bar of 5 GHz.",
            "改善覆盖",
            "Better coverage",
        ),
        (
            "无法登录路由器管理页面",
            "Cannot open the router admin page",
            "忘记了 {model} 的管理密码，也打不开 192.168.1.1。",
            "Forgot the {model} admin password and 192.168.1.1 will not open.",
            "恢复管理权限",
            "Get admin access back",
        ),
        (
            "Mesh 子节点无法组网",
            "Mesh satellite will not join",
            "新买的 {model} 子节点指示灯一直红色闪烁。",
            "The new {model} satellite keeps blinking red and never joins.",
            "指导组网",
            "Help setting up the mesh",
        ),
    ),
    "doorbell": (
        (
            "门铃按下手机没有推送",
            "No phone alert when the bell is pressed",
            "有人按 {model} 时手机收不到通知，App 通知权限已打开。",
            "No phone notification when someone presses the {model}; app notifications are on.",
            "恢复来访提醒",
            "Get visitor alerts working",
        ),
        (
            "门铃视频通话延迟大",
            "Doorbell video call lags",
            "{model} 接通后画面延迟五六秒，声音断断续续。",
            "After answering, the {model} picture lags 5-6 seconds and audio breaks up.",
            "流畅的视频通话",
            "A smooth video call",
        ),
        (
            "门铃电池一周就没电",
            "Doorbell battery flat within a week",
            "{model} 说明书写续航三个月，实际一周就没电。",
            "The manual says three months but the {model} battery is flat in a week.",
            "检查是否电池故障",
            "Check whether the battery is faulty",
        ),
    ),
    "hub": (
        (
            "子设备全部离线",
            "All sub-devices offline",
            "{model} 下面的子设备突然全部显示离线。",
            "Every device paired to the {model} suddenly shows offline.",
            "恢复联网",
            "Bring them back online",
        ),
        (
            "App 控制无响应",
            "No response to app control",
            "在 App 里操作 {model} 没有反应，本地按键正常。",
            "The {model} ignores the app; the buttons on the device work.",
            "恢复远程控制",
            "Remote control working again",
        ),
        (
            "半夜误报警",
            "False alarm in the middle of the night",
            "{model} 凌晨三点突然报警，家里并没有异常。",
            "The {model} went off at 3 a.m. with nothing wrong at home.",
            "查明误报原因",
            "Find the cause of the false alarm",
        ),
    ),
}

REPAIR: dict[str, tuple[Template, ...]] = {
    "lock": (
        (
            "门锁把手松动，需上门维修",
            "Handle loose, on-site repair needed",
            "{model} 外把手明显松动，担心安全。",
            "The outer handle of the {model} is loose.",
            "安排工程师上门",
            "Send an engineer",
        ),
        (
            "门锁电机卡死无法上锁",
            "Lock motor jammed, will not lock",
            "{model} 关门后电机一直响，无法反锁。",
            "The {model} motor whirrs and never locks.",
            "保内免费维修",
            "Free repair under warranty",
        ),
    ),
    "camera": (
        (
            "云台不转，申请寄修",
            "Pan/tilt stuck, send back for repair",
            "{model} 云台转动时卡住并有异响。",
            "The {model} pan/tilt sticks and grinds.",
            "寄修",
            "Send-back repair",
        ),
        (
            "镜头内部起雾",
            "Fog inside the lens",
            "{model} 下雨后镜头内部起雾。",
            "Fog forms inside the {model} lens after rain.",
            "维修或更换",
            "Repair or replace",
        ),
    ),
    "router": (
        (
            "路由器无法开机",
            "Router will not power on",
            "{model} 插电后指示灯完全不亮。",
            "The {model} shows no lights at all when plugged in.",
            "换新",
            "Replacement unit",
        ),
        (
            "网口损坏",
            "LAN port broken",
            "{model} 的 LAN2 口插网线没有反应。",
            "LAN port 2 on the {model} is dead.",
            "维修",
            "Repair",
        ),
    ),
    "doorbell": (
        (
            "门铃按键失灵",
            "Doorbell button not working",
            "{model} 按键按下去没反应。",
            "Pressing the {model} button does nothing.",
            "上门维修",
            "On-site repair",
        ),
        (
            "室内屏碎裂",
            "Indoor screen cracked",
            "{model} 室内屏出现裂纹。",
            "The {model} indoor screen has cracked.",
            "更换屏幕",
            "Replace the screen",
        ),
    ),
    "hub": (
        (
            "设备无法通电",
            "Device has no power",
            "{model} 通电后没有任何反应。",
            "The {model} does nothing when powered.",
            "寄修",
            "Send-back repair",
        ),
        (
            "外壳开裂",
            "Casing cracked",
            "{model} 外壳开裂，担心进水。",
            "The {model} casing cracked; worried about water.",
            "更换外壳",
            "Replace the casing",
        ),
    ),
}

CONSULT: tuple[Template, ...] = (
    (
        "{zh}保修期多久",
        "{en}: how long is the warranty?",
        "客户咨询 {model} 的保修期，以及配件是否在保修范围内。",
        "Customer asks how long the {model} warranty lasts and whether accessories are covered.",
        "告知保修政策",
        "Explain the warranty policy",
    ),
    (
        "如何开具发票",
        "How do I get an invoice?",
        "客户在网店购买了 {model}，需要开具增值税发票报销。",
        "Bought the {model} online and needs a VAT invoice for expenses.",
        "开具发票",
        "Issue an invoice",
    ),
    (
        "如何添加家庭成员",
        "How to add family members",
        "想让家人也能用 App 管理 {model}。",
        "Wants family members to manage the {model} in the app.",
        "提供操作步骤",
        "Send step-by-step instructions",
    ),
    (
        "是否支持 HomeKit",
        "Does it work with HomeKit?",
        "询问 {model} 能否接入苹果 HomeKit 和小爱同学。",
        "Asks whether the {model} works with Apple HomeKit and voice assistants.",
        "说明兼容情况",
        "Explain compatibility",
    ),
    (
        "上门安装收费吗",
        "Is installation free?",
        "询问 {model} 上门安装是否收费，需要提前多久预约。",
        "Asks whether installing the {model} is free and how far ahead to book.",
        "说明费用和预约方式",
        "Explain fees and booking",
    ),
)

COMPLAINT: dict[ComplaintType, tuple[Template, ...]] = {
    ComplaintType.QUALITY: (
        (
            "刚买一个月就坏了",
            "Broke after one month",
            "{model} 使用不到一个月就出现故障，客户非常不满。",
            "The {model} failed within a month of purchase; the customer is very unhappy.",
            "退货或换新",
            "Refund or a new unit",
        ),
        (
            "同一故障维修两次仍未解决",
            "Same fault after two repairs",
            "{model} 已经维修两次，同样的问题又出现了。",
            "The {model} has been repaired twice and the same fault is back.",
            "更换新机",
            "A replacement unit",
        ),
    ),
    ComplaintType.SERVICE: (
        (
            "工程师上门迟到两小时",
            "Engineer arrived two hours late",
            "预约上午十点安装 {model}，工程师十二点才到，也没有提前通知。",
            "The {model} install was booked for 10:00; the engineer came at 12:00 without notice.",
            "道歉并说明原因",
            "An apology and an explanation",
        ),
        (
            "客服热线一直打不通",
            "Hotline never answers",
            "连续两天打客服电话咨询 {model} 问题都没人接。",
            "Called about the {model} two days running and nobody answered.",
            "尽快回电",
            "Call me back",
        ),
    ),
    ComplaintType.MISINFORMATION: (
        (
            "客服说能退货结果被拒",
            "Told I could return it, then refused",
            "之前客服说 {model} 七天无理由退货，现在又说不行。",
            "Support said the {model} had a 7-day return; now the return is refused.",
            "按承诺退货",
            "Honour the return",
        ),
        (
            "宣传功能实际不支持",
            "Advertised feature not supported",
            "详情页写 {model} 支持远程开门，实际不支持。",
            "The product page says the {model} can unlock remotely; it cannot.",
            "补偿差价",
            "Compensation",
        ),
    ),
    ComplaintType.OTHER: (
        (
            "快递包装破损",
            "Parcel arrived damaged",
            "{model} 的快递外箱破损，担心产品受损。",
            "The {model} parcel arrived crushed.",
            "检查并补发",
            "Check it and resend",
        ),
        (
            "发票信息开错",
            "Wrong details on the invoice",
            "{model} 的发票抬头开错了，需要重开。",
            "The {model} invoice has the wrong company name.",
            "重开发票",
            "Reissue the invoice",
        ),
    ),
}

SUGGESTION: dict[str, tuple[Template, ...]] = {
    "lock": (
        (
            "建议临时密码可设置有效期",
            "Let temporary passcodes expire",
            "希望 {model} 的临时密码可以设置生效时间段。",
            "Would like {model} temporary passcodes with a validity window.",
            "考虑加入该功能",
            "Consider adding it",
        ),
    ),
    "camera": (
        (
            "建议支持本地 NAS 存储",
            "Support recording to a local NAS",
            "希望 {model} 可以把录像存到家里的 NAS。",
            "Would like the {model} to record to a NAS at home.",
            "考虑加入该功能",
            "Consider adding it",
        ),
    ),
    "router": (
        (
            "希望增加家长控制",
            "Add parental controls",
            "希望 {model} 的 App 可以按时间段限制孩子上网。",
            "Would like {model} app controls to limit the children's hours online.",
            "考虑加入该功能",
            "Consider adding it",
        ),
    ),
    "doorbell": (
        (
            "希望铃声可以自定义",
            "Allow custom chimes",
            "希望 {model} 可以上传自己的铃声。",
            "Would like to upload a chime to the {model}.",
            "考虑加入该功能",
            "Consider adding it",
        ),
    ),
    "hub": (
        (
            "希望支持 Matter 协议",
            "Please support Matter",
            "希望 {model} 升级支持 Matter。",
            "Would like a Matter update for the {model}.",
            "考虑加入该功能",
            "Consider adding it",
        ),
    ),
}
SUGGESTION_ANY: tuple[Template, ...] = (
    (
        "说明书字太小",
        "Manual print too small",
        "{model} 说明书字太小，老人看不清。",
        "The {model} manual is too small for older eyes.",
        "改进说明书",
        "Improve the manual",
    ),
    (
        "希望增加英文语音提示",
        "Add English voice prompts",
        "{model} 只有中文语音提示，家里外籍保姆听不懂。",
        "The {model} only speaks Chinese; the nanny does not understand.",
        "增加英文语音",
        "Add English prompts",
    ),
)

Pair = tuple[str, str]

SOLUTIONS: dict[Category, tuple[Pair, ...]] = {
    Category.CONSULT: (
        ("已告知保修政策，并短信发送说明链接", "Explained the policy and sent the link by SMS"),
        ("电话指导客户完成设置，客户已确认", "Walked the customer through the settings by phone"),
    ),
    Category.HELP: (
        (
            "指导客户重新录入指纹并清洁传感器，测试 5 次均正常",
            "Re-enrolled fingerprints and cleaned the sensor; 5 test unlocks OK",
        ),
        ("远程升级固件至最新版本，问题消失", "Updated the firmware remotely; problem gone"),
        ("恢复出厂设置后重新配网，设备在线", "Factory reset and re-paired; device online"),
        ("更换信道并调整摆放位置，信号恢复", "Changed channel and moved the unit; signal fine"),
    ),
    Category.REPAIR: (
        (
            "工程师上门更换主板，测试正常，客户已验收",
            "Engineer replaced the main board on site; tested, customer signed off",
        ),
        ("寄修检测为电机故障，保内免费更换", "Send-back repair: motor faulty, replaced free"),
        ("已过保修期，客户同意报价后付费维修", "Out of warranty; paid repair after quote accepted"),
    ),
    Category.COMPLAINT: (
        ("已致歉并赠送延保一年", "Apologised and added a one-year warranty extension"),
        ("核实后为客户办理换新", "Verified and arranged a replacement"),
        ("已向客户说明原因，相关人员已培训", "Explained the cause; staff retrained"),
    ),
    Category.SUGGESTION: (
        (
            "已转产品经理评估，邮件回复客户改进计划",
            "Passed to the product manager; emailed the customer the plan",
        ),
        (
            "该功能已排入下个版本，已短信告知客户",
            "Planned for the next release; customer told by SMS",
        ),
    ),
}
INTERNAL_NOTES: tuple[Pair, ...] = (
    ("已询问技术部门，等待回复", "Asked the technical department, waiting for a reply"),
    ("等待客户提供日志", "Waiting for the customer's logs"),
    ("已申请备件", "Spare part requested"),
    ("核对购买凭证，在保修期内", "Proof of purchase checked: in warranty"),
)
CUSTOMER_NOTES: tuple[Pair, ...] = (
    (
        "您好，我们已收到您的问题，工程师正在处理。",
        "Hello, we have your request and an engineer is on it.",
    ),
    (
        "请提供设备序列号和购买凭证照片。",
        "Please send the serial number and a photo of the receipt.",
    ),
    ("已为您预约明天上午上门。", "A visit is booked for tomorrow morning."),
)
PAUSE_NOTES: tuple[Pair, ...] = (
    ("等待客户提供购买凭证", "Waiting for proof of purchase"),
    ("等待客户在家时上门", "Waiting for the customer to be home"),
    ("等待客户反馈测试结果", "Waiting for the customer's test result"),
)
ESCALATE_NOTE: Pair = ("超时未解决，升级至主管", "Overdue: escalated to the supervisor")
REOPEN_NOTE: Pair = ("客户反馈问题复现", "Customer reports the problem is back")
CALLBACK_OK: Pair = ("客户确认问题已解决", "Customer confirms it is solved")
CALLBACK_RETRY: Pair = (
    "第一次未接通，第二次回访成功",
    "No answer at first; reached on the second call",
)
CALLBACK_UNSOLVED: Pair = ("客户表示仍偶尔出现", "Customer says it still happens now and then")
CALLBACK_NO_ANSWER: Pair = ("无人接听，稍后再拨", "No answer; will try again")
CREATED_NOTES: dict[Channel, str] = {
    Channel.PHONE: "电话受理 / Received by phone",
    Channel.CHAT: "在线客服 / Online chat",
    Channel.EMAIL: "邮件 / Email",
    Channel.WECHAT: "公众号 / WeChat",
    Channel.APP: "APP反馈 / App feedback",
    Channel.WEB: "官网 / Web form",
    Channel.COUNTER: "柜台 / Walk-in counter",
    Channel.SOCIAL: "社交媒体 / Social media",
}

SURNAMES: tuple[Pair, ...] = tuple(
    zip(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹",
        [
            "wang",
            "li",
            "zhang",
            "liu",
            "chen",
            "yang",
            "huang",
            "zhao",
            "wu",
            "zhou",
            "xu",
            "sun",
            "ma",
            "zhu",
            "hu",
            "guo",
            "he",
            "lin",
            "luo",
            "gao",
            "zheng",
            "liang",
            "xie",
            "song",
            "tang",
            "xu",
            "han",
            "feng",
            "deng",
            "cao",
        ],
        strict=True,
    )
)
GIVEN: tuple[Pair, ...] = tuple(
    zip(
        [
            "伟",
            "芳",
            "娜",
            "秀英",
            "敏",
            "静",
            "丽",
            "强",
            "磊",
            "军",
            "洋",
            "勇",
            "艳",
            "杰",
            "娟",
            "涛",
            "明",
            "超",
            "秀兰",
            "霞",
            "平",
            "刚",
            "桂英",
            "建华",
            "晓东",
            "文博",
            "子涵",
            "浩然",
            "雨桐",
            "一诺",
            "欣怡",
            "梓轩",
        ],
        [
            "wei",
            "fang",
            "na",
            "xiuying",
            "min",
            "jing",
            "li",
            "qiang",
            "lei",
            "jun",
            "yang",
            "yong",
            "yan",
            "jie",
            "juan",
            "tao",
            "ming",
            "chao",
            "xiulan",
            "xia",
            "ping",
            "gang",
            "guiying",
            "jianhua",
            "xiaodong",
            "wenbo",
            "zihan",
            "haoran",
            "yutong",
            "yinuo",
            "xinyi",
            "zixuan",
        ],
        strict=True,
    )
)
FIRST_NAMES = [
    "James",
    "Mary",
    "John",
    "Linda",
    "Michael",
    "Sarah",
    "David",
    "Emma",
    "Daniel",
    "Olivia",
    "Thomas",
    "Sophie",
    "Kevin",
    "Grace",
    "Ryan",
    "Chloe",
    "Mark",
    "Anna",
    "Peter",
    "Lucy",
]
LAST_NAMES = [
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Lee",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Clark",
    "Lewis",
    "Young",
    "King",
    "Scott",
    "Baker",
    "Miller",
    "Tanaka",
    "Kim",
    "Nguyen",
]
MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "foxmail.com", "gmail.com", "outlook.com")
PHONE_PREFIXES = ("38", "39", "37", "36", "35", "50", "51", "58", "59", "86", "87", "88", "89")

# (region, city zh, city en, districts as (zh, en))
CITIES: tuple[tuple[str, str, str, tuple[Pair, ...]], ...] = (
    (
        "华东",
        "上海",
        "Shanghai",
        (("浦东新区", "Pudong"), ("徐汇区", "Xuhui"), ("闵行区", "Minhang")),
    ),
    ("华东", "杭州", "Hangzhou", (("西湖区", "Xihu"), ("滨江区", "Binjiang"))),
    ("华东", "南京", "Nanjing", (("鼓楼区", "Gulou"), ("建邺区", "Jianye"))),
    ("华东", "苏州", "Suzhou", (("工业园区", "SIP"), ("姑苏区", "Gusu"))),
    ("华南", "广州", "Guangzhou", (("天河区", "Tianhe"), ("海珠区", "Haizhu"))),
    ("华南", "深圳", "Shenzhen", (("南山区", "Nanshan"), ("福田区", "Futian"))),
    ("华北", "北京", "Beijing", (("朝阳区", "Chaoyang"), ("海淀区", "Haidian"))),
    ("华北", "天津", "Tianjin", (("和平区", "Heping"), ("河西区", "Hexi"))),
    ("华中", "武汉", "Wuhan", (("洪山区", "Hongshan"), ("江汉区", "Jianghan"))),
    ("华中", "长沙", "Changsha", (("岳麓区", "Yuelu"),)),
    ("西南", "成都", "Chengdu", (("高新区", "Gaoxin"), ("武侯区", "Wuhou"))),
    ("西南", "重庆", "Chongqing", (("渝北区", "Yubei"),)),
    ("西北", "西安", "Xi'an", (("雁塔区", "Yanta"),)),
    ("东北", "沈阳", "Shenyang", (("和平区", "Heping"),)),
)
STREETS: tuple[Pair, ...] = (
    ("中山路", "Zhongshan Rd"),
    ("人民路", "Renmin Rd"),
    ("解放路", "Jiefang Rd"),
    ("建设路", "Jianshe Rd"),
    ("科技路", "Keji Rd"),
    ("文化路", "Wenhua Rd"),
    ("长江路", "Changjiang Rd"),
    ("和平路", "Heping Rd"),
)

# Weights (shares) of the ticket mix.
CATEGORY_WEIGHTS = {
    Category.CONSULT: 28,
    Category.HELP: 35,
    Category.COMPLAINT: 8,
    Category.SUGGESTION: 5,
    Category.REPAIR: 24,
}
PRIORITY_WEIGHTS: dict[Category, tuple[int, int, int]] = {  # urgent, important, normal
    Category.CONSULT: (2, 18, 80),
    Category.HELP: (8, 37, 55),
    Category.COMPLAINT: (10, 45, 45),
    Category.SUGGESTION: (1, 5, 94),
    Category.REPAIR: (10, 40, 50),
}
CHANNEL_WEIGHTS = {
    Channel.PHONE: 28,
    Channel.CHAT: 18,
    Channel.WECHAT: 16,
    Channel.APP: 12,
    Channel.EMAIL: 9,
    Channel.WEB: 8,
    Channel.COUNTER: 5,
    Channel.SOCIAL: 4,
}
COMPLAINT_WEIGHTS = {
    ComplaintType.QUALITY: 40,
    ComplaintType.SERVICE: 30,
    ComplaintType.MISINFORMATION: 18,
    ComplaintType.OTHER: 12,
}
FIRST_CONTACT: dict[Category, float] = {  # share solved at first contact (KPI target 80%)
    Category.CONSULT: 0.95,
    Category.HELP: 0.85,
    Category.COMPLAINT: 0.6,
    Category.SUGGESTION: 0.9,
    Category.REPAIR: 0.55,
}
# Satisfaction 1-5 when the callback found the problem solved / not solved (CSAT ~88%).
SATISFIED = (5,) * 62 + (4,) * 30 + (3,) * 5 + (2,) * 2 + (1,)
UNSATISFIED = (4,) * 10 + (3,) * 30 + (2,) * 35 + (1,) * 25
# Tickets per local hour of day, relative.
HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 6, 14, 22, 25, 24, 17, 20, 23, 23, 22, 20, 15, 13, 12, 9, 5, 2)
WEEKDAY_WEIGHTS = (1.15, 1.05, 1.0, 1.0, 1.0, 0.75, 0.65)


def _table(weights: Sequence[float], size: int = 1024) -> list[int]:
    """A lookup list of indexes in proportion to `weights`: one getrandbits picks from it."""
    total = float(sum(weights))
    table: list[int] = []
    acc = 0.0
    for index, weight in enumerate(weights):
        acc += weight
        table.extend([index] * (round(acc / total * size) - len(table)))
    return table


def _tri(pair: Pair) -> tuple[str, str, str]:
    """A text in Chinese, in English, and in both: picked by the ticket's language."""
    return pair[0], pair[1], f"{pair[0]} / {pair[1]}"


# =============================================================================================
# Timestamps
# =============================================================================================


class _Stamps:
    """Epoch seconds -> the text a timestamp column stores, without strftime per value.

    SQLite holds what SQLAlchemy's DateTime writes, naive UTC 'YYYY-MM-DD HH:MM:SS.ffffff';
    PostgreSQL gets the same text plus '+00' for timestamptz. `iso` is the audit-payload form.
    Generated instants are whole seconds; `exact` also copes with a policy instant that is not.
    """

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix
        clock = [
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        ]
        self.tails = [f" {c}.000000{suffix}" for c in clock]
        self.iso_tails = [f"T{c}+00:00" for c in clock]
        self.days: dict[int, str] = {}

    def _day(self, day: int) -> str:
        text = self.days[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%d")
        return text

    def db(self, seconds: int) -> str:
        day = seconds // 86_400
        return (self.days.get(day) or self._day(day)) + self.tails[seconds - day * 86_400]

    def iso(self, seconds: int) -> str:
        day, second = divmod(seconds, 86_400)
        return (self.days.get(day) or self._day(day)) + self.iso_tails[second]

    def exact(self, moment: datetime) -> tuple[int, str, str]:
        """A policy instant as (whole seconds for comparisons, column text, payload text)."""
        seconds = int(moment.timestamp())
        if not moment.microsecond:
            return seconds, self.db(seconds), self.iso(seconds)
        utc = moment.astimezone(UTC)
        return seconds, utc.strftime("%Y-%m-%d %H:%M:%S.%f") + self.suffix, utc.isoformat()


def _seconds(moment: datetime) -> int:
    return int(moment.timestamp())


# =============================================================================================
# Reference data: teams, agents, products, customers, devices
# =============================================================================================


@dataclass
class _Refs:
    """Ids the ticket generator draws from, by role in the story."""

    team_ids: dict[TeamKind, list[int]] = field(default_factory=dict)
    team_tables: dict[TeamKind, list[int]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)  # team id -> agent ids
    supervisors: dict[int, list[int]] = field(default_factory=dict)
    intake: list[int] = field(default_factory=list)  # service-team agents
    qa: list[int] = field(default_factory=list)


def _team_rows() -> list[tuple[Any, ...]]:
    return [(i, name, kind.value) for i, (name, kind, _share) in enumerate(TEAMS, 1)]


def _current_user() -> str:
    from deskui.services.accounts import os_username

    return os_username() or "demo"


def _agent_rows(user: str) -> list[tuple[Any, ...]]:
    """The demo staff, plus the person running the demo as an admin (so they are signed in)."""
    rows = [
        [i, name, display, role.value, team]
        for i, (name, display, role, team) in enumerate(AGENTS, 1)
    ]
    for row in rows:
        if row[1] == user:
            row[3] = Role.ADMIN.value
            break
    else:
        rows.append([len(rows) + 1, user, user, Role.ADMIN.value, None])
    for team in range(len(TEAMS)):  # every team keeps a supervisor
        members = [r for r in rows if r[4] == team]
        if members and not any(r[3] == Role.SUPERVISOR.value for r in members):
            next(r for r in members if r[3] == Role.AGENT.value)[3] = Role.SUPERVISOR.value
    return [
        (i, name, display, role, None if team is None else team + 1, True)
        for i, name, display, role, team in rows
    ]


def _refs(agents: list[tuple[Any, ...]]) -> _Refs:
    refs = _Refs()
    shares: dict[TeamKind, list[float]] = {}
    for team_id, (_name, kind, share) in enumerate(TEAMS, 1):
        refs.team_ids.setdefault(kind, []).append(team_id)
        shares.setdefault(kind, []).append(share)
        refs.members[team_id] = []
        refs.supervisors[team_id] = []
    refs.team_tables = {kind: _table(weights) for kind, weights in shares.items()}
    for agent_id, _user, _display, role, team_id, _active in agents:
        if team_id is None:
            if role == Role.QA.value:
                refs.qa.append(agent_id)
            continue
        refs.members[team_id].append(agent_id)
        if role == Role.SUPERVISOR.value:
            refs.supervisors[team_id].append(agent_id)
        if TEAMS[team_id - 1][1] is TeamKind.SERVICE:
            refs.intake.append(agent_id)
    return refs


def _product_rows() -> list[tuple[Any, ...]]:
    return [(i, p[0], p[1], p[2], p[3], p[4]) for i, p in enumerate(PRODUCTS, 1)]


@dataclass
class _People:
    """Customer and device facts the tickets need, indexed by customer id (index 0 unused)."""

    tier: list[int]  # index into TIERS
    english: list[bool]
    device: list[int]  # first device id, 0 when none
    device_product: list[int]  # by device id: product index (0-based)
    device_day: list[int]  # by device id: purchase date as days since the epoch


def _pick(rnd: Callable[[], float], options: Sequence[Any]) -> Any:
    """rng.choice, several times faster: `random()` scaled, no rejection sampling."""
    return options[int(rnd() * len(options))]


def _customer_row(rnd: Callable[[], float], cid: int) -> tuple[tuple[Any, ...], bool]:
    """One customer: mostly Chinese names, some English; ~10% VIP."""
    region, city_zh, city_en, districts = _pick(rnd, CITIES)
    district, street = _pick(rnd, districts), _pick(rnd, STREETS)
    number, building, room = 1 + int(rnd() * 999), 1 + int(rnd() * 30), 101 + int(rnd() * 2700)
    mail = f"{1 + int(rnd() * 999)}@{_pick(rnd, MAIL_DOMAINS)}"
    english = rnd() < 0.15
    if english:
        first, last = _pick(rnd, FIRST_NAMES), _pick(rnd, LAST_NAMES)
        name = f"{first} {last}"
        email = f"{first.lower()}.{last.lower()}{mail}"
        address = f"Rm {room}, Bldg {building}, {number} {street[1]}, {district[1]}, {city_en}"
    else:
        surname, given = _pick(rnd, SURNAMES), _pick(rnd, GIVEN)
        name = surname[0] + (given[0] if rnd() > 0.08 else _pick(rnd, ("先生", "女士")))
        email = f"{surname[1]}{given[1]}{mail}"
        address = f"{city_zh}市{district[0]}{street[0]}{number}号{building}栋{room}室"
    phone = f"1{_pick(rnd, PHONE_PREFIXES)}{int(rnd() * 100_000_000):08d}"
    tier = TIER_VALUES[1] if rnd() < 0.1 else TIER_VALUES[0]
    return (cid, name, phone, email if rnd() < 0.75 else None, region, address, tier), english


def _proof(rnd: Callable[[], float]) -> str | None:
    roll = rnd()
    if roll < 0.5:
        return f"发票 No. {int(rnd() * 10_000_000):07d}"
    if roll < 0.65:
        return f"收据 No. {int(rnd() * 1_000_000):06d}"
    if roll < 0.8:
        return f"京东订单 {int(rnd() * 10**12):012d}"
    if roll < 0.9:
        return f"Tmall order {int(rnd() * 10**15):015d}"
    return None


def _people(
    rng: random.Random, customers: int, today: int
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], _People]:
    """Customers and their devices (most have one, some two), purchases over four years."""
    rnd = rng.random
    product_table = _table([p[6] for p in PRODUCTS])
    models = [p[0].replace("-", "") for p in PRODUCTS]
    span = WARRANTY_YEARS_BACK * 365
    days = {
        today - back: (d.isoformat(), f"{d:%y%m}")
        for back in range(span)
        for d in [date.fromordinal(_EPOCH_ORDINAL + today - back)]
    }
    customer_rows: list[tuple[Any, ...]] = []
    device_rows: list[tuple[Any, ...]] = []
    facts = _People(tier=[0], english=[False], device=[0], device_product=[0], device_day=[0])
    for cid in range(1, customers + 1):
        row, english = _customer_row(rnd, cid)
        customer_rows.append(row)
        facts.tier.append(1 if row[6] == TIER_VALUES[1] else 0)
        facts.english.append(english)
        owned = 0 if rnd() < 0.12 else (2 if rnd() < 0.15 else 1)
        facts.device.append(len(device_rows) + 1 if owned else 0)
        for _ in range(owned):
            did = len(device_rows) + 1
            product = product_table[rng.getrandbits(10)]
            bought = today - int(rnd() * span)
            day, month = days[bought]
            serial = f"{models[product]}-{month}-{did:07d}"
            device_rows.append((did, cid, product + 1, serial, day, _proof(rnd)))
            facts.device_product.append(product)
            facts.device_day.append(bought)
    return customer_rows, device_rows, facts


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


# =============================================================================================
# Ticket texts
# =============================================================================================

Texts = tuple[str, str, str]  # subject, description, customer request


def _render(template: Template, product: tuple[Any, ...]) -> tuple[Texts, Texts, Texts]:
    """A template for one product in Chinese, English, and both."""
    model, name = product[0], product[1]
    zh_name, _, en_name = name.partition(" / ")
    filled = [part.format(model=model, zh=zh_name, en=en_name) for part in template]
    s_zh, s_en, d_zh, d_en, r_zh, r_en = filled
    return (
        (f"{model} {s_zh}", d_zh, r_zh),
        (f"{model} {s_en}", d_en, r_en),
        (f"{model} {s_zh} / {s_en}", f"{d_zh}\n\n{d_en}", f"{r_zh} / {r_en}"),
    )


def _ticket_texts() -> dict[tuple[int, int], list[tuple[Texts, Texts, Texts]]]:
    """(category index, product index) -> rendered templates; complaints keyed by type below."""
    texts: dict[tuple[int, int], list[tuple[Texts, Texts, Texts]]] = {}
    for p_index, product in enumerate(PRODUCTS):
        family = product[5]
        per_category = {
            Category.CONSULT: CONSULT,
            Category.HELP: HELP[family],
            Category.REPAIR: REPAIR[family],
            Category.SUGGESTION: SUGGESTION[family] + SUGGESTION_ANY,
        }
        for category, templates in per_category.items():
            key = (CATEGORIES.index(category), p_index)
            texts[key] = [_render(t, product) for t in templates]
        for ctype, templates in COMPLAINT.items():
            key = (len(CATEGORIES) + COMPLAINT_TYPES.index(ctype), p_index)
            texts[key] = [_render(t, product) for t in templates]
    return texts


CATEGORIES: tuple[Category, ...] = tuple(Category)
PRIORITIES: tuple[Priority, ...] = tuple(Priority)
TIERS: tuple[Tier, ...] = (Tier.NORMAL, Tier.VIP)
CHANNELS: tuple[Channel, ...] = tuple(Channel)
COMPLAINT_TYPES: tuple[ComplaintType, ...] = tuple(ComplaintType)

# =============================================================================================
# Days: how many tickets each local day gets
# =============================================================================================


@dataclass(frozen=True, slots=True)
class _Day:
    key: str  # YYYYMMDD in the service time zone
    start: int  # local midnight, epoch seconds
    end: int  # next local midnight, or `now` for today
    count: int
    first_id: int


def _local_midnight(day: date, zone: ZoneInfo) -> int:
    return _seconds(datetime(day.year, day.month, day.day, tzinfo=zone))


def _days(tickets: int, now: datetime, zone: ZoneInfo) -> list[_Day]:
    """Spread `tickets` over the last HISTORY_DAYS local days: weekdays busier, slowly growing."""
    now_s = _seconds(now)
    today = now.astimezone(zone).date()
    spans: list[tuple[str, int, int, float]] = []
    boost = max(1.0, RECENT_MIN_PER_DAY * HISTORY_DAYS / max(tickets, 1))
    for back in range(HISTORY_DAYS, -1, -1):
        day = today - timedelta(days=back)
        start = _local_midnight(day, zone)
        end = min(_local_midnight(day + timedelta(days=1), zone), now_s)
        if end <= start:
            continue
        trend = 0.8 + 0.4 * (HISTORY_DAYS - back) / HISTORY_DAYS
        if back < RECENT_DAYS:
            trend *= boost
        weight = WEEKDAY_WEIGHTS[day.weekday()] * trend * _day_share(end - start)
        spans.append((f"{day:%Y%m%d}", start, end, weight))
    counts = _apportion(tickets, [s[3] for s in spans])
    days: list[_Day] = []
    next_id = 1
    for (key, start, end, _weight), count in zip(spans, counts, strict=True):
        days.append(_Day(key, start, end, count, next_id))
        next_id += count
    return days


def _day_share(length: int) -> float:
    """The share of a day's intake that falls in its first `length` seconds (today so far)."""
    if length >= _DAY:
        return 1.0
    hours, rest = divmod(length, _HOUR)
    covered = sum(HOUR_WEIGHTS[:hours]) + HOUR_WEIGHTS[hours] * rest / _HOUR
    return covered / sum(HOUR_WEIGHTS)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Whole counts in proportion to `weights` that add up to `total` (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _chunks(days: list[_Day], size: int | None = None) -> list[list[_Day]]:
    """Whole days grouped into chunks of about `size` tickets (a chunk is one RNG stream)."""
    size = size or CHUNK_TICKETS
    chunks: list[list[_Day]] = [[]]
    filled = 0
    for day in days:
        if not day.count:
            continue
        if filled and filled + day.count > size:
            chunks.append([])
            filled = 0
        chunks[-1].append(day)
        filled += day.count
    return [c for c in chunks if c]


# =============================================================================================
# Tickets, events, callbacks
# =============================================================================================

TICKET_COLUMNS = (
    "id", "number", "channel", "category", "complaint_type", "priority", "tier", "status",
    "is_open", "subject", "description", "customer_request", "solution", "customer_id",
    "device_id", "team_id", "assignee_id", "created_at", "updated_at", "first_response_at",
    "resolved_at", "closed_at", "response_due_at", "response_warn_at", "resolve_due_at",
    "resolve_warn_at", "next_due_at", "next_warn_at", "paused_at", "paused_seconds",
    "extended_seconds", "escalation_level", "first_contact_resolved", "reopen_count", "version",
)  # fmt: skip
EVENT_COLUMNS = ("ticket_id", "actor_id", "at", "kind", "internal", "body", "before", "after")
CALLBACK_COLUMNS = (
    "ticket_id", "due_at", "done_at", "agent_id", "reached", "solved", "satisfaction", "notes",
    "attempts",
)  # fmt: skip

S_NEW, S_ASSIGNED, S_PROGRESS, S_PENDING, S_RESOLVED, S_CLOSED = (s.value for s in Status)
CHANNEL_VALUES = [c.value for c in CHANNELS]
CATEGORY_VALUES = [c.value for c in CATEGORIES]
PRIORITY_VALUES = [p.value for p in PRIORITIES]
PRIORITY_RANKS = [p.rank for p in PRIORITIES]  # what the priority column stores
TIER_VALUES = [t.value for t in TIERS]
COMPLAINT_VALUES = [c.value for c in COMPLAINT_TYPES]
COMPLAINT_INDEX = CATEGORIES.index(Category.COMPLAINT)

# Event kinds as the short codes the story uses, and their payloads (ticket version stays 1).
E_CREATED, E_CREATED_NEW, E_ASSIGN, E_RESPONDED, E_NOTE, E_REPLY = range(6)
E_PAUSE, E_ESCALATE, E_REOPEN, E_RESOLVE, E_CLOSE = range(6, 11)
_V1 = '{"version": 1}'
_CLOSE_JSON = ('{"status": "resolved"}', '{"status": "closed", "version": 1}')
_RESOLVE_BEFORE = '{"status": "in_progress"}'
_RESOLVE_AFTER = (
    '{"status": "resolved", "first_contact": false, "version": 1}',
    '{"status": "resolved", "first_contact": true, "version": 1}',
)
_REOPEN_JSON = (
    '{"status": "closed"}',
    '{"status": "in_progress", "reopen_count": 1, "version": 1}',
)

# Cumulative shares of new / assigned / in progress (the rest wait on the customer) for open
# tickets whose response is on track, at risk, or overdue.
OPEN_STATUS_SHARES = ((0.35, 0.65, 0.9), (0.2, 0.55, 0.85), (0.04, 0.12, 0.75))


def _open_chance(now: int, warn: int, due: int) -> float:
    """Work within its resolution target is mostly still open; overdue work mostly got done,
    leaving a small, ageing backlog (so the queue shows on-track, at-risk and overdue)."""
    if now < warn:
        return 0.85
    if now < due:
        return 0.7
    late = now - due
    if late < _DAY:
        return 0.3
    if late < 7 * _DAY:
        return 0.08
    if late < 30 * _DAY:
        return 0.015
    return 0.002


@dataclass
class _Chunk:
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    callbacks: list[tuple[Any, ...]] = field(default_factory=list)


class _Ticket:
    """The working state of one ticket while its story is written (times in epoch seconds)."""

    __slots__ = (
        "assignee", "callback", "cat", "channel", "closed", "created", "ctype", "escalation",
        "events", "fcr", "first_response", "id", "intake", "lang", "number", "paused", "prio",
        "rd", "reopens", "resolved", "rw", "sd", "status", "sup", "sw", "team", "tier",
    )  # fmt: skip

    def __init__(self, tid: int, number: str, created: int) -> None:
        self.id, self.number, self.created = tid, number, created
        self.cat = self.prio = self.tier = self.channel = self.team = self.intake = self.sup = 0
        self.ctype = -1
        self.assignee: int | None = None
        self.status = S_NEW
        self.lang = 0
        self.rd = self.rw = self.sd = self.sw = 0
        self.first_response: int | None = None
        self.resolved: int | None = None
        self.closed: int | None = None
        self.paused: int | None = None
        self.escalation = 0
        self.reopens = 0
        self.fcr = False
        self.events: list[tuple[int | None, int, int]] = []  # (actor, at, event code)
        # (due, done, agent, reached, solved, satisfaction, notes, attempts), times in seconds
        self.callback: tuple[Any, ...] | None = None


class _TicketMaker:
    """Builds the tickets of a run of days, with their timelines and callbacks.

    SLA due times come from the policy for every ticket, so they equal what the services
    would store; the story (responses, resolution, callback) is then drawn around them.
    """

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        policy: SlaPolicy,
        refs: _Refs,
        people: _People,
        stamps: _Stamps,
        callbacks: CallbackSettings,
    ) -> None:
        self.seed = seed
        self.now = _seconds(now)
        self.policy = policy
        self.refs = refs
        self.people = people
        self.stamps = stamps
        self.customers = len(people.tier) - 1
        self.cb_delay = (callbacks.complaint_hours * _HOUR, callbacks.other_hours * _HOUR)
        self.texts = _ticket_texts()
        self.category_table = _table([CATEGORY_WEIGHTS[c] for c in CATEGORIES])
        self.priority_tables = [_table(PRIORITY_WEIGHTS[c]) for c in CATEGORIES]
        self.channel_table = _table([CHANNEL_WEIGHTS[c] for c in CHANNELS])
        self.complaint_table = _table([COMPLAINT_WEIGHTS[c] for c in COMPLAINT_TYPES])
        self.product_table = _table([p[6] for p in PRODUCTS])
        self.hour_table = _table(HOUR_WEIGHTS)
        self.team_of = [
            (refs.team_ids[k], refs.team_tables[k]) for k in (DISPATCH[c] for c in CATEGORIES)
        ]
        self.fcr = [FIRST_CONTACT[c] for c in CATEGORIES]
        self.solutions = [[_tri(p) for p in SOLUTIONS[c]] for c in CATEGORIES]
        self.notes = {
            E_NOTE: [_tri(p) for p in INTERNAL_NOTES],
            E_REPLY: [_tri(p) for p in CUSTOMER_NOTES],
            E_PAUSE: [_tri(p) for p in PAUSE_NOTES],
            E_ESCALATE: [_tri(ESCALATE_NOTE)],
            E_REOPEN: [_tri(REOPEN_NOTE)],
        }
        self.cb_texts = [_tri(p) for p in (CALLBACK_OK, CALLBACK_RETRY, CALLBACK_UNSOLVED)]
        self.no_answer = _tri(CALLBACK_NO_ANSWER)
        self.created_notes = [CREATED_NOTES[c] for c in CHANNELS]

    # -- one chunk ---------------------------------------------------------------------------

    def chunk(self, index: int, days: list[_Day]) -> _Chunk:
        """All tickets of `days`; a fresh RNG per chunk keeps chunks independent of each other."""
        rng = random.Random(self.seed * 1_000_003 + index)
        out = _Chunk()
        for day in days:
            for seq, created in enumerate(self._times(rng, day), 1):
                t = _Ticket(day.first_id + seq - 1, f"SR-{day.key}-{seq:04d}", created)
                self._ticket(rng, t, out)
        return out

    def _times(self, rng: random.Random, day: _Day) -> list[int]:
        """Intake instants within the day, busiest in office hours, in order."""
        length = day.end - day.start
        table, bits, rnd = self.hour_table, rng.getrandbits, rng.random
        times: list[int] = []
        for _ in range(day.count):
            for _attempt in range(50):  # today: draw again until before `now`
                offset = table[bits(10)] * _HOUR + int(rnd() * _HOUR)
                if offset < length:
                    break
            else:
                offset = int(rnd() * length)
            times.append(day.start + offset)
        times.sort()
        return times

    # -- one ticket --------------------------------------------------------------------------

    def _ticket(self, rng: random.Random, t: _Ticket, out: _Chunk) -> None:
        rnd, bits = rng.random, rng.getrandbits
        people, refs = self.people, self.refs
        t.cat = cat = self.category_table[bits(10)]
        t.prio = self.priority_tables[cat][bits(10)]
        t.channel = self.channel_table[bits(10)]
        customer = 1 + int(self.customers * rnd() ** 1.6)
        t.tier = people.tier[customer]
        if people.english[customer]:
            t.lang = 1 if rnd() < 0.7 else 2
        else:
            roll = rnd()
            t.lang = 0 if roll < 0.65 else (1 if roll < 0.75 else 2)
        device = people.device[customer]
        if device and people.device_day[device] * _DAY <= t.created and rnd() < 0.9:
            product = people.device_product[device]
        else:
            device, product = 0, self.product_table[bits(10)]
        if cat == COMPLAINT_INDEX:
            t.ctype = self.complaint_table[bits(10)]
        options = self.texts[(len(CATEGORIES) + t.ctype if t.ctype >= 0 else cat, product)]
        texts = options[int(rnd() * len(options))][t.lang]
        team_ids, team_table = self.team_of[cat]
        t.team = team_ids[team_table[bits(10)]]
        members, sups = refs.members[t.team], refs.supervisors[t.team]
        t.assignee = members[int(rnd() * len(members))]
        t.sup = sups[int(rnd() * len(sups))]
        t.intake = refs.intake[int(rnd() * len(refs.intake))]
        due = self._due(t)
        if rnd() < _open_chance(self.now, t.sw, t.sd):
            self._open(rng, t)
        else:
            self._finished(rng, t, out)
        self._emit(t, out, texts, customer, device, due)

    def _due(self, t: _Ticket) -> tuple[str, str, str, str, str, str]:
        """The policy's due instants: kept as seconds on the ticket, returned as text."""
        start = _EPOCH + timedelta(seconds=t.created)
        due = self.policy.due_times(PRIORITIES[t.prio], CATEGORIES[t.cat], TIERS[t.tier], start)
        r, w, s, v = due.response_due, due.response_warn, due.resolve_due, due.resolve_warn
        if r.microsecond or w.microsecond or s.microsecond or v.microsecond:
            return self._due_exact(t, (r, w, s, v))  # only with unusual settings
        t.rd, t.rw, t.sd, t.sw = rd, rw, sd, sw = (
            int(r.timestamp()), int(w.timestamp()), int(s.timestamp()), int(v.timestamp())
        )  # fmt: skip
        db, iso = self.stamps.db, self.stamps.iso
        return db(rd), db(rw), db(sd), db(sw), iso(rd), iso(sd)

    def _due_exact(
        self, t: _Ticket, moments: tuple[datetime, ...]
    ) -> tuple[str, str, str, str, str, str]:
        (t.rd, rd, rd_iso), (t.rw, rw, _), (t.sd, sd, sd_iso), (t.sw, sw, _) = [
            self.stamps.exact(m) for m in moments
        ]
        return rd, rw, sd, sw, rd_iso, sd_iso

    def _open(self, rng: random.Random, t: _Ticket) -> None:
        """A ticket still being worked: new, assigned, in progress or waiting on the customer."""
        rnd, now, c = rng.random, self.now, t.created
        age = now - c
        shares = OPEN_STATUS_SHARES[0 if now < t.rw else 1 if now < t.rd else 2]
        roll = rnd()
        ev = t.events
        if roll < shares[0]:
            t.status, t.assignee = S_NEW, None
            ev.append((t.intake, c, E_CREATED))
            if rnd() < 0.3:
                ev.append((t.intake, c + int(age * (0.05 + 0.85 * rnd())), E_NOTE))
        elif roll < shares[1]:
            t.status = S_ASSIGNED
            if rnd() < 0.5:
                ev.append((t.intake, c, E_CREATED))
            else:
                ev.append((t.intake, c, E_CREATED_NEW))
                ev.append((t.sup, c + int(age * (0.02 + 0.38 * rnd())), E_ASSIGN))
            if rnd() < 0.3:
                ev.append((t.assignee, c + int(age * (0.45 + 0.5 * rnd())), E_NOTE))
        else:
            t.status = S_PROGRESS if roll < shares[2] else S_PENDING
            fr = c + min(int((t.rd - c) * (0.03 + 0.87 * rnd())), int(age * (0.05 + 0.45 * rnd())))
            t.first_response = fr
            ev.append((t.intake, c, E_CREATED))
            ev.append((t.assignee, fr, E_RESPONDED))
            if t.status == S_PENDING:
                t.paused = fr + int((now - fr) * (0.1 + 0.85 * rnd()))
                ev.append((t.assignee, t.paused, E_PAUSE))
        self._open_extras(rnd, t)

    def _open_extras(self, rnd: Callable[[], float], t: _Ticket) -> None:
        """Escalations for overdue work (and ~3% of complaints), the odd reopened ticket."""
        now = self.now
        due = None if t.paused is not None else (t.rd if t.first_response is None else t.sd)
        if t.cat == COMPLAINT_INDEX:
            t.escalation = 1 if rnd() < 0.03 else 0
        elif due is not None and due <= now and rnd() < 0.5:
            t.escalation = 2 if rnd() < 0.2 else 1
        if t.status != S_PROGRESS:
            return
        last = t.events[-1][1]
        at = last + int((now - last) * (0.1 + 0.8 * rnd()))
        if t.escalation:
            t.events.append((t.sup, at, E_ESCALATE))
        elif rnd() < 0.05:
            t.reopens = 1
            t.events.append((t.assignee, at, E_REOPEN))
        elif rnd() < 0.6:
            t.events.append((t.assignee, at, E_NOTE if rnd() < 0.5 else E_REPLY))

    def _finished(self, rng: random.Random, t: _Ticket, out: _Chunk) -> None:
        """A resolved ticket: closed after its callback, or resolved with the callback pending."""
        rnd, now, c = rng.random, self.now, t.created
        fr, rs = self._response_and_resolution(rnd, t)
        t.first_response, t.resolved = fr, rs
        complaint = t.cat == COMPLAINT_INDEX
        if complaint:
            t.escalation = 1 if rnd() < 0.03 else 0
        elif rs > t.sd and rnd() < 0.3:
            t.escalation = 1
        t.reopens = 1 if not t.fcr and rnd() < 0.03 else 0
        cb_due = rs + self.cb_delay[0 if complaint else 1]
        if rnd() < 0.91:
            done = rs + int((cb_due - rs) * (0.05 + 0.85 * rnd()))
        else:
            done = cb_due + _HOUR * (1 + int(rnd() * 35))
        agent = self._callback_agent(rnd, t, complaint)
        if done < now and rnd() >= 0.003:  # a few old callbacks were simply forgotten
            t.status, t.closed = S_CLOSED, done
            t.events += [
                (t.intake, c, E_CREATED),
                (t.assignee, rs, E_RESOLVE),
                (agent, done, E_CLOSE),
            ]
            t.callback = self._done_callback(rnd, t, cb_due, done, agent)
        else:
            t.status = S_RESOLVED
            t.events += [
                (t.intake, c, E_CREATED),
                (t.assignee, fr, E_RESPONDED),
                (t.assignee, rs, E_RESOLVE),
            ]
            t.callback = self._pending_callback(rnd, t, cb_due, agent)

    def _response_and_resolution(self, rnd: Callable[[], float], t: _Ticket) -> tuple[int, int]:
        """Mostly within target (on-time response ~94%), some late; squeezed before `now`."""
        now, c = self.now, t.created
        t.fcr = rnd() < self.fcr[t.cat]
        window = t.rd - c
        if rnd() < 0.94:
            fr = c + int(window * (0.03 + 0.87 * rnd()))
        else:
            fr = t.rd + 60 + int(window * (0.05 + 0.95 * rnd()))
        if t.fcr:
            rs = fr + 60 + int(rnd() * 1740)
        elif rnd() < 0.88 and t.sd > fr:
            rs = fr + int((t.sd - fr) * (0.05 + 0.9 * rnd()))
        else:
            rs = max(t.sd, fr) + 60 + int((t.sd - c) * (0.05 + 0.95 * rnd()))
        if rs >= now:  # a recent ticket: its history fits into the time it has had
            scale = (now - c) * (0.3 + 0.65 * rnd()) / (rs - c)
            fr, rs = c + int((fr - c) * scale), c + int((rs - c) * scale)
        return fr, rs

    def _callback_agent(self, rnd: Callable[[], float], t: _Ticket, complaint: bool) -> int:
        """Complaints are called back by a supervisor; others by QA or the assignee."""
        qa = self.refs.qa
        if complaint:
            return t.sup
        if qa and rnd() < 0.6:
            return qa[int(rnd() * len(qa))]
        return t.assignee if t.assignee is not None else t.intake

    def _done_callback(
        self, rnd: Callable[[], float], t: _Ticket, due: int, done: int, agent: int
    ) -> tuple[Any, ...]:
        """Reached (on the first or second try), mostly solved, satisfaction skewed to 4-5."""
        solved = rnd() < 0.95
        attempts = 2 if rnd() < 0.15 else 1
        if solved:
            score = SATISFIED[int(rnd() * len(SATISFIED))]
            note = self.cb_texts[1 if attempts == 2 else 0][t.lang]
        else:
            score = UNSATISFIED[int(rnd() * len(UNSATISFIED))]
            note = self.cb_texts[2][t.lang]
        return (due, done, agent, True, solved, score, note, attempts)

    def _pending_callback(
        self, rnd: Callable[[], float], t: _Ticket, due: int, agent: int
    ) -> tuple[Any, ...]:
        """Waiting to be made; some were tried once without reaching the customer."""
        if self.now - (t.resolved or 0) > 4 * _HOUR and rnd() < 0.25:
            return (due, None, agent, False, None, None, self.no_answer[t.lang], 1)
        return (due, None, None, None, None, None, "", 0)

    # -- rows ------------------------------------------------------------------------------

    def _emit(
        self,
        t: _Ticket,
        out: _Chunk,
        texts: Texts,
        customer: int,
        device: int,
        due: tuple[str, str, str, str, str, str],
    ) -> None:
        """Turn the story into a ticket row, its event rows and its callback row.

        Each instant is formatted once: events and callbacks mostly reuse the ticket's own.
        """
        db = self.stamps.db
        rd, rw, sd, sw, _rd_iso, _sd_iso = due
        known = {t.created: db(t.created)}
        for moment in (t.first_response, t.resolved, t.closed, t.paused):
            if moment is not None:
                known[moment] = db(moment)
        events = [self._event(t, actor, at, known, code, due) for actor, at, code in t.events]
        is_open = t.resolved is None
        if not is_open or t.paused is not None:
            next_due = next_warn = None
        elif t.first_response is None:
            next_due, next_warn = rd, rw
        else:
            next_due, next_warn = sd, sw
        get = known.get
        out.tickets.append(
            (
                t.id, t.number, CHANNEL_VALUES[t.channel], CATEGORY_VALUES[t.cat],
                COMPLAINT_VALUES[t.ctype] if t.ctype >= 0 else None,
                PRIORITY_RANKS[t.prio], TIER_VALUES[t.tier], t.status, is_open, *texts,
                None if is_open else self._solution(t),
                customer, device or None, t.team, t.assignee,
                known[t.created], events[-1][2], get(t.first_response), get(t.resolved),
                get(t.closed), rd, rw, sd, sw, next_due, next_warn, get(t.paused),
                0, 0, t.escalation, None if is_open else t.fcr, t.reopens, 1,
            )
        )  # fmt: skip
        out.events += events
        if t.callback is not None:
            cb_due, done, *rest = t.callback
            out.callbacks.append((t.id, db(cb_due), get(done), *rest))

    def _solution(self, t: _Ticket) -> str:
        solutions = self.solutions[t.cat]
        return solutions[t.id % len(solutions)][t.lang]

    def _event(
        self,
        t: _Ticket,
        actor: int | None,
        at: int,
        known: dict[int, str],
        code: int,
        due: tuple[str, str, str, str, str, str],
    ) -> tuple[Any, ...]:
        """One timeline row; payloads mirror what the ticket services write."""
        stamp = known.get(at) or self.stamps.db(at)
        if code in (E_CREATED, E_CREATED_NEW):
            after = self._snapshot(t, code == E_CREATED and t.assignee is not None, due)
            return (t.id, actor, stamp, "created", True, self.created_notes[t.channel], None, after)
        if code == E_RESOLVE:
            after = _RESOLVE_AFTER[t.fcr]
            return (t.id, actor, stamp, "resolve", False, self._solution(t), _RESOLVE_BEFORE, after)
        if code == E_CLOSE:
            return (t.id, actor, stamp, "close", True, "", *_CLOSE_JSON)
        if code == E_RESPONDED:
            after = f'{{"first_response_at": "{self.stamps.iso(at)}", "version": 1}}'
            return (t.id, actor, stamp, "responded", True, "", None, after)
        return self._work_event(t, actor, at, stamp, code)

    def _work_event(
        self, t: _Ticket, actor: int | None, at: int, stamp: str, code: int
    ) -> tuple[Any, ...]:
        """The rarer events of open tickets: assignment, notes, replies, pauses, escalations."""
        if code == E_ASSIGN:
            before = f'{{"team_id": {t.team}, "assignee_id": null, "status": "{S_NEW}"}}'
            after = (
                f'{{"team_id": {t.team}, "assignee_id": {t.assignee}, '
                f'"status": "{S_ASSIGNED}", "version": 1}}'
            )
            return (t.id, actor, stamp, "assign", True, "", before, after)
        notes = self.notes[code]
        body = notes[at % len(notes)][t.lang]
        if code == E_PAUSE:
            before = f'{{"status": "{S_PROGRESS}"}}'
            after = (
                f'{{"status": "{S_PENDING}", "paused_at": "{self.stamps.iso(at)}", "version": 1}}'
            )
            return (t.id, actor, stamp, "pause", True, body, before, after)
        if code == E_ESCALATE:
            after = f'{{"escalation_level": {t.escalation}, "version": 1}}'
            return (t.id, actor, stamp, "escalate", True, body, '{"escalation_level": 0}', after)
        if code == E_REOPEN:
            return (t.id, actor, stamp, "reopen", True, body, *_REOPEN_JSON)
        return (t.id, actor, stamp, "comment", code == E_NOTE, body, None, _V1)

    def _snapshot(self, t: _Ticket, assigned: bool, due: tuple[str, ...]) -> str:
        """The `created` event's payload: the ticket as intake saw it."""
        return (
            f'{{"number": "{t.number}", "channel": "{CHANNEL_VALUES[t.channel]}", '
            f'"category": "{CATEGORY_VALUES[t.cat]}", "priority": "{PRIORITY_VALUES[t.prio]}", '
            f'"tier": "{TIER_VALUES[t.tier]}", "status": "{S_ASSIGNED if assigned else S_NEW}", '
            f'"team_id": {t.team}, "assignee_id": {t.assignee if assigned else "null"}, '
            f'"response_due_at": "{due[4]}", "resolve_due_at": "{due[5]}", "version": 1}}'
        )


# =============================================================================================
# Making chunks in another process
# =============================================================================================

_FORKED_MAKER: _TicketMaker | None = None


def _forked_chunk(index: int, days: list[_Day]) -> bytes:
    """Runs in a worker; marshal moves plain rows between processes faster than pickle."""
    assert _FORKED_MAKER is not None
    chunk = _FORKED_MAKER.chunk(index, days)
    return marshal.dumps((chunk.tickets, chunk.events, chunk.callbacks))


def _workers(requested: int | None, tickets: int) -> int:
    """Extra processes are worth it for big runs, and safe to fork only without threads."""
    if requested is not None:
        return requested
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    spare = (os.cpu_count() or 1) > 1
    return 1 if forkable and spare and tickets >= 4 * CHUNK_TICKETS else 0


class _ChunkSource:
    """Chunks in order. With workers, forked processes (which inherit the maker) start on the
    first chunks at once and stay a little ahead while the caller writes; each chunk has its
    own seed, so the result is the same either way."""

    def __init__(self, maker: _TicketMaker, plan: list[list[_Day]], workers: int) -> None:
        global _FORKED_MAKER
        self.maker, self.plan = maker, plan
        self.pool: ProcessPoolExecutor | None = None
        self.ahead: deque[Future[bytes]] = deque()
        self.next = 0
        if workers > 0 and len(plan) > 1:
            _FORKED_MAKER = maker
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self._submit(workers + 1)

    def _submit(self, count: int) -> None:
        assert self.pool is not None
        while count > 0 and self.next < len(self.plan):
            self.ahead.append(self.pool.submit(_forked_chunk, self.next, self.plan[self.next]))
            self.next += 1
            count -= 1

    def __iter__(self) -> Iterator[_Chunk]:
        if self.pool is None:
            yield from (self.maker.chunk(i, days) for i, days in enumerate(self.plan))
            return
        while self.ahead:
            rows = marshal.loads(self.ahead.popleft().result())
            self._submit(1)
            yield _Chunk(*rows)

    def close(self) -> None:
        global _FORKED_MAKER
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        _FORKED_MAKER = None


# =============================================================================================
# Loading
# =============================================================================================

BULK_TABLES = ("customers", "devices", "tickets", "ticket_events", "callbacks")
_FTS_CONTENT = re.compile(r"\bcontent\s*=\s*'(\w+)'", re.IGNORECASE)
_FTS_ROWID = re.compile(r"\bcontent_rowid\s*=\s*'(\w+)'", re.IGNORECASE)


class _Loader:
    """Writes row batches through the DBAPI inside one transaction.

    Secondary indexes (and, on SQLite, the triggers that keep full-text search in step) are
    read from the database's own catalog, so whatever later migrations add is handled too:
    dropped before the load and restored after it; building an index once is many times
    faster than maintaining it row by row.
    """

    def __init__(self, engine: Engine) -> None:
        self.raw = engine.raw_connection()
        self.dbapi: Any = self.raw.driver_connection
        self.cursor = self.dbapi.cursor()
        self.deferred: list[tuple[str, str, str]] = []  # (kind, name, DDL)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self.cursor.execute(sql, params)
        return list(self.cursor.fetchall())

    def begin(self) -> None:
        raise NotImplementedError

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def close(self, ok: bool) -> None:
        """Roll back on failure; always hand the connection back."""
        try:
            if not ok:
                self.dbapi.rollback()
        finally:
            self.cursor.close()
            self.raw.close()


@dataclass
class _FullText:
    """An external-content FTS table over a bulk table, filled chunk by chunk during the load."""

    name: str
    table: str
    rowid: str
    columns: list[str]
    done: int = 0  # highest content rowid already indexed


class _SqliteLoader(_Loader):
    """Bulk load tuned for one big write, with the connection's settings restored after.

    A rollback journal instead of WAL when the load has the file to itself (nothing to
    journal when every page is new, and no second copy of the data to checkpoint), a page
    cache sized to the data so index builds do not spill to disk, and the sorter's helper
    threads. Full-text tables that triggers keep in step are filled with one INSERT ...
    SELECT per batch instead: FTS5 flushes at every statement, so row-by-row triggers would be
    many times slower.
    """

    def __init__(self, engine: Engine, tickets: int, shared: bool = False) -> None:
        super().__init__(engine)
        self.cache_kib = _cache_kib(tickets)
        self.journal = "wal"
        self.shared = shared
        self.full_text: dict[str, list[_FullText]] = {}

    def begin(self) -> None:
        run = self.cursor.execute
        # These cannot change inside a transaction; `close` restores the engine's settings.
        self.journal = self.query("PRAGMA journal_mode")[0][0]
        if not self.shared:
            self._leave_wal()
        run("PRAGMA foreign_keys=OFF")
        run("PRAGMA synchronous=OFF")
        run(f"PRAGMA cache_size=-{self.cache_kib}")
        run("PRAGMA temp_store=MEMORY")
        run(f"PRAGMA threads={max(1, min(4, os.cpu_count() or 1))}")
        run("BEGIN IMMEDIATE")
        fts = self._find_full_text()
        marks = ", ".join("?" * len(BULK_TABLES))
        found = self.query(
            f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY type, name",
            BULK_TABLES,
        )
        # Other triggers stay: what they do is unknown, so they keep doing it.
        self.deferred = [
            (kind, name, sql)
            for kind, name, sql in found
            if kind == "index" or any(re.search(rf"\b{f}\b", sql) for f in fts)
        ]
        for kind, name, _sql in self.deferred:
            run(f'DROP {kind.upper()} "{name}"')

    def _leave_wal(self) -> None:
        """The rollback journal, when this is the file's only connection. Leaving WAL needs
        the file to itself: with another connection open (a desk, a second deskui) SQLite
        says "database is locked" at once, and the load stays in WAL, where readers keep
        reading the old snapshot until it commits."""
        import sqlite3

        try:
            self.cursor.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise

    def _find_full_text(self) -> list[str]:
        for name, sql in self.query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        ):
            content = _FTS_CONTENT.search(sql)
            if content is None or content.group(1) not in BULK_TABLES:
                continue
            rowid = _FTS_ROWID.search(sql)
            columns = [row[1] for row in self.query(f'PRAGMA table_info("{name}")')]
            entry = _FullText(name, content.group(1), rowid.group(1) if rowid else "rowid", columns)
            self.full_text.setdefault(entry.table, []).append(entry)
        return [f.name for entries in self.full_text.values() for f in entries]

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" * len(columns))
        self.cursor.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
        )
        for fts in self.full_text.get(table, ()):
            names = ", ".join(fts.columns)
            self.cursor.execute(
                f"INSERT INTO {fts.name}(rowid, {names}) "
                f"SELECT {fts.rowid}, {names} FROM {table} WHERE {fts.rowid} > ?",
                (fts.done,),
            )
            fts.done = self.query(f"SELECT coalesce(max({fts.rowid}), 0) FROM {table}")[0][0]

    def finish(self) -> None:
        run = self.cursor.execute
        for _kind, _name, sql in self.deferred:
            run(sql)
        run("COMMIT")

    def close(self, ok: bool) -> None:
        try:
            if not ok and self.dbapi.in_transaction:
                self.cursor.execute("ROLLBACK")
            for pragma in (
                f"journal_mode={self.journal}",
                "synchronous=NORMAL",
                "foreign_keys=ON",
                "cache_size=-2000",
                "threads=0",
            ):
                self.cursor.execute(f"PRAGMA {pragma}")
        finally:
            super().close(True)


def _cache_kib(tickets: int) -> int:
    """Half the size the database will reach (~2.5 KiB a ticket) keeps index builds in
    memory (measured: more does not help, a quarter is 30% slower), within a quarter of RAM."""
    try:
        ram_kib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024
    except (ValueError, OSError, AttributeError):
        ram_kib = 4 * 1024 * 1024
    return max(64 * 1024, min(tickets * 5 // 4, ram_kib // 4))


class _PostgresLoader(_Loader):
    LOCK_TRIES = 400  # a server's readers hold their locks for milliseconds: ~20 s in all

    def begin(self) -> None:
        run = self.cursor.execute
        run("SET LOCAL synchronous_commit = off")
        run("SET LOCAL maintenance_work_mem = '256MB'")
        self._lock_bulk_tables()
        self.deferred = [
            ("index", name, sql)
            for name, sql in self.query(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                "WHERE t.relname = ANY(%s) AND t.relnamespace = current_schema()::regnamespace "
                "AND NOT x.indisprimary AND NOT x.indisunique ORDER BY i.relname",
                (list(BULK_TABLES),),
            )
        ]
        for _kind, name, _sql in self.deferred:
            run(f'DROP INDEX "{name}"')

    def _lock_bulk_tables(self) -> None:
        """Every table whose indexes the load drops, all at once or none (NOWAIT, tried again).
        Dropping them one by one would hold some while waiting for others, and a server's
        reader holding one of those and wanting a held one would deadlock with the load.
        Once they are held, readers of them wait for the commit; nothing else blocks."""
        import psycopg

        names = ", ".join(BULK_TABLES)
        for _try in range(self.LOCK_TRIES):
            self.cursor.execute("SAVEPOINT deskui_demo_lock")
            try:
                self.cursor.execute(f"LOCK TABLE {names} IN ACCESS EXCLUSIVE MODE NOWAIT")
            except psycopg.errors.LockNotAvailable:
                self.cursor.execute("ROLLBACK TO SAVEPOINT deskui_demo_lock")
                time.sleep(0.05)
                continue
            self.cursor.execute("RELEASE SAVEPOINT deskui_demo_lock")
            return
        raise DemoError("the database is busy: its tables stayed in use; try again in a moment")

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)

    def finish(self) -> None:
        run = self.cursor.execute
        for _kind, _name, sql in self.deferred:
            run(sql)
        for table in ("teams", "agents", "customers", "products", "devices", "tickets"):
            run(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        run("ANALYZE")
        self.dbapi.commit()


def _loader(engine: Engine, tickets: int, shared: bool) -> _Loader:
    if engine.dialect.name == "sqlite":
        return _SqliteLoader(engine, tickets, shared)
    if engine.dialect.name == "postgresql":
        return _PostgresLoader(engine)
    raise DemoError(
        "demo data supports SQLite and PostgreSQL, not {dialect}", dialect=engine.dialect.name
    )


def _assert_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        for table in ("tickets", "customers", "agents", "teams", "products"):
            if conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is not None:
                raise DemoError(
                    "the database already has {table}: demo data needs an empty one", table=table
                )


# =============================================================================================
# Entry point
# =============================================================================================


def generate_demo(
    engine: Engine,
    *,
    tickets: int,
    now: datetime,
    seed: int = 7,
    policy: SlaPolicy | None = None,
    progress: Progress | None = None,
    tz: str = SERVICE_TZ,
    callbacks: CallbackSettings | None = None,
    workers: int | None = None,
    shared: bool = False,
) -> DemoSummary:
    """Fill an empty database with `tickets` tickets of history ending at `now`.

    Creates or migrates the schema first. `progress(done, total)` is called after each
    chunk of tickets. `workers` processes generate chunks while this one writes (default:
    one for big runs when there is a spare CPU; 0 generates here). `shared`: other
    connections use the database meanwhile (a server's desks, feed and sweep), so a SQLite
    file stays in WAL and they keep reading. Raises DemoError if the database already holds
    data.
    """
    if tickets < 0:
        raise ValueError("tickets must be zero or more")
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    started = time.perf_counter()
    ensure_current(engine)
    _assert_empty(engine)
    reference = _Reference.make(random.Random(seed), tickets, now)
    days = _days(tickets, now, ZoneInfo(tz))
    maker = _TicketMaker(
        seed=seed,
        now=now,
        policy=policy or SlaPolicy.from_settings(SlaSettings()),
        refs=_refs(reference.agents),
        people=reference.people,
        stamps=_Stamps("" if engine.dialect.name == "sqlite" else "+00"),
        callbacks=callbacks or CallbackSettings(),
    )
    source = _ChunkSource(maker, _chunks(days), _workers(workers, tickets))
    try:
        written = _write(_loader(engine, tickets, shared), reference, source, days, progress)
    finally:
        source.close()
    from deskui.store.search_index import drain_engine

    drain_engine(engine)  # the search index of everything the triggers queued
    return DemoSummary(
        teams=len(reference.teams),
        agents=len(reference.agents),
        customers=len(reference.customers),
        products=len(reference.products),
        devices=len(reference.devices),
        tickets=written["tickets"],
        events=written["events"],
        callbacks=written["callbacks"],
        counters=written["counters"],
        seconds=time.perf_counter() - started,
    )


@dataclass
class _Reference:
    """The rows every ticket points at."""

    teams: list[tuple[Any, ...]]
    agents: list[tuple[Any, ...]]
    products: list[tuple[Any, ...]]
    customers: list[tuple[Any, ...]]
    devices: list[tuple[Any, ...]]
    people: _People

    @classmethod
    def make(cls, rng: random.Random, tickets: int, now: datetime) -> _Reference:
        customers, devices, people = _people(rng, max(50, tickets // 4), _seconds(now) // _DAY)
        agents = _agent_rows(_current_user())
        return cls(_team_rows(), agents, _product_rows(), customers, devices, people)


def _write(
    loader: _Loader,
    reference: _Reference,
    source: _ChunkSource,
    days: list[_Day],
    progress: Progress | None,
) -> dict[str, int]:
    """Everything in one transaction; rolled back (and the connection restored) on failure."""
    written = dict.fromkeys(("tickets", "events", "callbacks", "counters"), 0)
    total = sum(d.count for d in days)
    ok = False
    try:
        loader.begin()
        loader.insert("teams", ("id", "name", "kind"), reference.teams)
        loader.insert("agents", _AGENT_COLUMNS, reference.agents)
        loader.insert("products", _PRODUCT_COLUMNS, reference.products)
        loader.insert("customers", _CUSTOMER_COLUMNS, reference.customers)
        loader.insert("devices", _DEVICE_COLUMNS, reference.devices)
        for chunk in source:
            loader.insert("tickets", TICKET_COLUMNS, chunk.tickets)
            loader.insert("ticket_events", EVENT_COLUMNS, chunk.events)
            loader.insert("callbacks", CALLBACK_COLUMNS, chunk.callbacks)
            written["tickets"] += len(chunk.tickets)
            written["events"] += len(chunk.events)
            written["callbacks"] += len(chunk.callbacks)
            if progress is not None:
                progress(written["tickets"], total)
        counters = [(d.key, d.count) for d in days if d.count]
        loader.insert("ticket_counters", ("day", "last"), counters)
        written["counters"] = len(counters)
        loader.finish()
        ok = True
    finally:
        loader.close(ok)
    return written


_AGENT_COLUMNS = ("id", "username", "display_name", "role", "team_id", "active")
_CUSTOMER_COLUMNS = ("id", "name", "phone", "email", "region", "address", "tier")
_PRODUCT_COLUMNS = (
    "id",
    "model",
    "name",
    "warranty_main_months",
    "warranty_accessory_months",
    "warranty_software_months",
)
_DEVICE_COLUMNS = (
    "id",
    "customer_id",
    "product_id",
    "serial",
    "purchase_date",
    "proof_of_purchase",
)
