"""Simplified Chinese messages: import, export and the CLI's faults and confirmations.

Merged into `i18n/zh_cn.py` (`MESSAGES`). 工单 is "ticket".
"""

MESSAGES: dict[str, str] = {
    # import results
    "imported {count} ticket(s)": "已导入 {count} 条工单",
    "imported {count} ticket(s), skipped {bad} bad row(s)": (
        "已导入 {count} 条工单，跳过 {bad} 行有误数据"
    ),
    "imported {count} product(s)": "已导入 {count} 个产品型号",
    "imported {count} product(s), skipped {bad} bad row(s)": (
        "已导入 {count} 个产品型号，跳过 {bad} 行有误数据"
    ),
    "{file}: … and {count} more problem(s)": "{file}：… 另有 {count} 处问题",
    "{file}: warning: {warning}": "{file}：提醒：{warning}",
    "{bad} bad row(s); nothing imported (use --skip-bad to import the good rows)": (
        "{bad} 行有误；未导入任何数据（加 --skip-bad 可只导入无误的行）"
    ),
    # retention and confirmations
    "no customer to anonymise: none has only tickets closed before {date}": (
        "没有需要匿名化的客户：没有客户的工单全部在 {date} 之前关闭"
    ),
    "anonymise {count} customer(s) whose tickets were all closed before {date} "
    "(names, phones, e-mails and addresses are erased for good)": (
        "匿名化 {count} 位客户（其工单均在 {date} 之前关闭；姓名、电话、邮箱和地址将被永久清除）"
    ),
    "anonymised {count} customer(s) whose tickets were all closed more than {years} years ago": (
        "已匿名化 {count} 位客户（其工单均已关闭超过 {years} 年）"
    ),
    "Go ahead? [y/N] ": "确定执行吗？[y/N] ",
    "cancelled; nothing changed": "已取消，未做任何更改",
    "This will {plan}.": "此操作将{plan}。",
    "this would {plan}; nothing changed: add --yes to confirm without asking": (
        "此操作将{plan}；未做任何更改：如确定执行，请加 --yes"
    ),
    "--to {url} is the database being copied; give another one": (
        "--to {url} 就是要复制的数据库本身；请指定另一个"
    ),
    "delete the {rows:,} row(s) in {tables} table(s) of {url} (tickets: {tickets:,}) and copy "
    "this database in their place": (
        "删除 {url} 中 {tables} 张表的 {rows:,} 行数据（其中工单 {tickets:,} 条），再将本数据库复制过去"
    ),
    # faults
    "a file": "某个文件",
    "no database at {path}; check --db / DESKUI_DB_URL, or create it with `deskui init`": (
        "{path} 处没有数据库；请检查 --db / DESKUI_DB_URL，或用 `deskui init` 创建"
    ),
    "database error at {where}: {detail}": "数据库 {where} 出错：{detail}",
    "{where} is not a deskui database, or it is damaged; give the right --db, or restore the "
    "file from a backup": "{where} 不是 deskui 数据库或已损坏；请指定正确的 --db，或从备份恢复该文件",
    "{where} is read-only for you; run deskui as a user who may write the file and its folder "
    "(SQLite keeps its journal beside it)": (
        "{where} 对您只读；请以可写该文件及其所在文件夹的用户运行 deskui（SQLite 的日志文件在其旁边）"
    ),
    "the disk holding {where} is full; nothing was written. Free some space and run the command "
    "again": "{where} 所在磁盘已满，未写入任何数据。请清理空间后重新运行该命令",
    "cannot open {where}; check that the folder exists and that you may write there": (
        "无法打开 {where}；请确认文件夹存在且您有写权限"
    ),
    "{where} is busy (another deskui is writing); try again in a moment": (
        "{where} 正忙（另一个 deskui 正在写入）；请稍后重试"
    ),
    "cannot connect to the database at {where}: {detail}; check that the server is running and "
    "the URL (--db / DESKUI_DB_URL)": (
        "无法连接数据库 {where}：{detail}；请确认服务器正在运行，并检查地址（--db / DESKUI_DB_URL）"
    ),
    "the database at {where} refused the connection: {detail}; check the URL": (
        "数据库 {where} 拒绝连接：{detail}；请检查地址"
    ),
    "the disk is full writing {where}; free some space and run the command again": (
        "写入 {where} 时磁盘已满；请清理空间后重新运行该命令"
    ),
    "{where}: {reason}; check the path (its folder must exist)": (
        "{where}：{reason}；请检查路径（其所在文件夹必须存在）"
    ),
    "{where}: {reason}; choose a place you may write to": "{where}：{reason}；请选择您有写权限的位置",
    "--days {days}: give 1 to {most} days": "--days {days}：请给出 1 到 {most} 天",
    "--tickets {count}: give 0 to 10,000,000": "--tickets {count}：请给出 0 到 10,000,000",
}
