"""Simplified Chinese messages: site policy (站点策略), `deskui site` and the notices for site
policy keys a user's config still sets. Merged into `i18n/zh_cn.py` (`MESSAGES`)."""

MESSAGES: dict[str, str] = {
    "admins change it with `deskui site import FILE`": (
        "管理员可用 `deskui site import FILE` 修改"
    ),
    "Keys the file does not set take deskui's defaults. The new policy applies from now on: "
    "open tickets keep their due times and get new ones from it when they next change "
    "(nothing is recomputed now).": (
        "文件未设置的项取 deskui 默认值。新策略自现在起生效：未关闭的工单保留现有的到期时间，"
        "在下次变更时按新策略计算（现在不会统一重算）。"
    ),
    "site policy: deskui's defaults (never changed on this database)": (
        "站点策略：deskui 默认值（此数据库从未修改过）"
    ),
    "Exported site policy revision {revision} to {file}": (
        "已将站点策略第 {revision} 版导出到 {file}"
    ),
    "{file}: {count} change(s) to the site policy:": "{file}：站点策略有 {count} 处变更：",
    "Site policy is now revision {revision} ({count} change(s)).": (
        "站点策略现为第 {revision} 版（{count} 处变更）。"
    ),
    "site policy revision {revision}, set by {user} at {when} from {source}": (
        "站点策略第 {revision} 版，由 {user} 于 {when} 从 {source} 设置"
    ),
    "{file}: {key} is a personal setting, not site policy; skipped": (
        "{file}：{key} 是个人设置，不属于站点策略；已跳过"
    ),
    "{file}: {count} date(s) of sla.calendar.closed_dates/open_dates move into the business "
    "calendar (see `deskui calendar show`)": (
        "{file}：sla.calendar.closed_dates/open_dates 中的 {count} 个日期将移入工作日历"
        "（见 `deskui calendar show`）"
    ),
    "Added {added} calendar date(s); {moved} open ticket(s) got new due times.": (
        "已添加 {added} 个日历日期；{moved} 张未关闭工单的到期时间已更新。"
    ),
    "{file}: {count} problem(s); nothing was changed:": "{file}：{count} 处问题；未做任何更改：",
    "{key} in {file} is site policy now and is ignored; an admin can load it with "
    "`deskui site import {file}`": (
        "{file} 中的 {key} 现属站点策略，已被忽略；管理员可用 `deskui site import {file}` 载入"
    ),
    "{name} in the environment is site policy now and is ignored; see `deskui site show` "
    "(an admin changes it with `deskui site import <file>`)": (
        "环境变量 {name} 现属站点策略，已被忽略；请查看 `deskui site show`"
        "（管理员可用 `deskui site import <file>` 修改）"
    ),
    "# site policy (time zone, SLA, callbacks, KPI targets, identity): `deskui site show`": (
        "# 站点策略（时区、SLA、回访、KPI 目标、身份识别）：`deskui site show`"
    ),
}
