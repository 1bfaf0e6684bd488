"""Simplified Chinese messages: the shared server and its clients."""

MESSAGES: dict[str, str] = {
    "no deskui server answers at {path} ({reason})": "{path} 处没有 deskui 服务器应答（{reason}）",
    "the server closed the connection": "服务器关闭了连接",
    "no answer in time": "服务器未及时应答",
    "the server's answer is not readable: {detail}": "无法读取服务器的应答：{detail}",
    "--db names the server's database, and the server at {socket} chooses it; "
    "leave --db out, or run embedded with --server none": (
        "--db 指定的是服务器的数据库，由 {socket} 处的服务器决定；请去掉 --db，"
        "或用 --server none 以嵌入模式运行"
    ),
    '{path}: server must be a path in quotes, e.g. server = "/run/deskui/deskui.sock"': (
        '{path}：server 必须是带引号的路径，例如 server = "/run/deskui/deskui.sock"'
    ),
    "this command runs on your own machine, not on the server": "此命令在您自己的机器上运行，而不是在服务器上",
    "--db names the server's database, which the server chooses": "--db 指定的是服务器的数据库，由服务器决定",
    "this server does not answer {kind!r} requests (it answers: {known})": (
        "此服务器不应答 {kind!r} 请求（它应答：{known}）"
    ),
    "the server could not answer this request (a fault in the server; its log has the "
    "details)": "服务器无法应答此请求（服务器内部故障；详情见其日志）",
}
