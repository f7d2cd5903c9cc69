"""Korean texts of the node kinds' help and of their behaviour fields, served beside the English.

KIND_HELP_KO is keyed by kind name. FIELD_KO is keyed by the English text itself (a field's
`label`, `help`, `unit` or `needs`), because several kinds share one spec (Transform, Crash
after, Heartbeat...) and one English text gets one Korean text wherever it appears; a changed
English text finds no Korean and tests/unit/test_meta_korean.py says which. The words follow the
seed notes (워커, 브로커, 구독, 하트비트, 송신/수신); terms of the trade stay as libzmq and the
zguide write them (REQ, DEALER, READY, HEARTBEAT, EFSM, MDPC01, zguide lpclient), and the
placeholders ({n}, {topic}, {node}) are the same as in English.
"""

KIND_HELP_KO = {
    "source": "주기마다 메시지를 하나 보냅니다. REQ에서는 매번 응답을 기다립니다 (lockstep).",
    "replier": "요청을 받아 같은 소켓으로 응답합니다 (봉투는 그대로 둡니다).",
    "worker": "입력에서 받고, 잠시 일한 뒤, 결과를 출력으로 보냅니다.",
    "sink": "받아서 셉니다; 처리량을 알려 줍니다.",
    "proxy": "눈에 보이는 루프로 만든 zmq_proxy: frontend → backend로 전달하고, 타입이 허락하면"
    " backend → frontend로도 전달합니다. ROUTER↔DEALER: 공유 큐; XSUB↔XPUB: 포워더 (구독이"
    " 상류로 거슬러 올라갑니다); SUB→PUB: 브리지; PULL→PUSH: 스트리머. 선택 사항인 capture"
    " 소켓은 모든 메시지의 사본을 받습니다.",
    "lb_broker": "zguide lbbroker이자 Simple Pirate 큐: REQ 워커가 READY를 보내면 브로커는 그"
    " identity를 큐에 넣고 (가장 오래 쉰 워커가 먼저), 클라이언트 요청마다 가장 오래 쉰 워커에게"
    " 줍니다. 죽은 워커는 알아차리지 못합니다.",
    "lb_worker": "부하 분산 브로커 / Simple Pirate의 REQ 워커 (zguide spworker): READY (\\x01)를"
    " 보낸 뒤, 브로커를 거쳐 오는 요청마다 응답합니다.",
    "lazy_pirate": "서버가 죽어도 살아남는 REQ 클라이언트 (zguide lpclient): 타임아웃 안에 응답이"
    " 없으면 → 소켓을 닫고, 다시 connect하고, 다시 보냅니다; 재시도를 다 쓰면 포기합니다.",
    "pp_queue": "하트비트가 있는 부하 분산 브로커 (zguide ppqueue): DEALER 워커가 READY (\\x01)와"
    " HEARTBEAT (\\x02)를 보냅니다; 쉬는 워커에게 하트비트를 보내고, liveness × heartbeat 동안"
    " 조용한 워커는 버립니다.",
    "pp_worker": "큐에 하트비트를 보내는 DEALER 워커 (zguide ppworker); 큐가 liveness × heartbeat"
    " 동안 조용하면 다시 connect하며, 그때마다 더 오래 기다립니다.",
    "bstar_server": "Binary Star 쌍의 primary 또는 backup (zguide bstarsrv): 하트비트마다 서로의"
    " 상태를 주고받습니다 (PUB/SUB); active 서버는 클라이언트 요청을 그대로 돌려주고, passive"
    " 서버는 클라이언트가 요청했는데 상대가 하트비트 2번 동안 조용하면 역할을 넘겨받습니다.",
    "bstar_client": "Binary Star 쌍의 클라이언트 (zguide bstarcli): 타임아웃 안에 응답이 없으면 →"
    " 안정화 지연 뒤 다른 서버로 넘어갑니다 (failover); 절대 포기하지 않습니다.",
    "mdp_broker": "ROUTER 하나로 된 서비스 지향 브로커 (RFC 7 MDP, zguide mdbroker): MDPC01 요청을"
    " 서비스 이름으로 MDPW01 워커에게 보내고, 쉬는 워커에게 하트비트를 보내며, mmi.service에"
    " 200 또는 404로 답합니다.",
    "mdp_worker": "Majordomo 브로커에 서비스 하나를 제공합니다 (DEALER 위의 MDPW01): READY,"
    " REQUEST/REPLY, HEARTBEAT; 브로커가 조용해지면 다시 connect합니다.",
    "mdp_client": "Majordomo 브로커에 서비스를 이름으로 요청합니다 (REQ 위의 MDPC01); Lazy Pirate"
    "처럼 재시도합니다. 서비스 mmi.service에 서비스 이름을 본문으로 보내면 그 서비스가 있는지"
    " 묻습니다.",
    "monitor": "이벤트 스트림을 듣고 (모든 것을 구독한 SUB) 메시지를 토픽별로 셉니다: 첫 프레임,"
    " 또는 프레임이 하나인 메시지의 첫 단어.",
    "sync_pub": "zguide syncpub: 구독자 N개가 REP 소켓으로 체크인할 때까지 기다린 뒤, 메시지와"
    " 마지막 END를 발행합니다: 늦게 합류한 구독자(slow joiner)의 유실이 없습니다.",
    "sync_sub": "zguide syncsub: SUB가 connect한 뒤, REQ로 체크인하고 END까지 받습니다.",
    "producer": "주기마다 작업을 하나 보내고 (PUSH) 그것을 이벤트로 알립니다 (PUB): 시드 노트의"
    " 작업 분산 시스템.",
    "task_worker": "각 작업의 시작/완료를 이벤트 소켓으로 알리고, 제어 소켓으로 kill 신호가 오면"
    " 멈추는 파이프라인 워커.",
    "collector": "결과를 셉니다; 기대한 수에 이르면 배치에 걸린 시간을 알리고 신호를 보낼 수"
    " 있습니다 (병렬 파이프라인의 kill 신호).",
    "gateway": "클라이언트와 서비스를 위한 ROUTER 하나: 클라이언트가 보낸 [service, body]를 routing"
    " id가 그 서비스인 DEALER에게 보내고, 답을 되돌려 줍니다 (시드 002).",
}

# Labels.
_LABELS = {
    "Attempts": "시도 횟수",
    "Await reply": "응답 대기",
    "Backend": "Backend",
    "Backup": "Backup",
    "Capture": "Capture",
    "Completed topic": "완료 토픽",
    "Control": "제어",
    "Count": "개수",
    "Crash after": "크래시 시점",
    "Delay": "지연",
    "End": "끝",
    "Event topic": "이벤트 토픽",
    "Events": "이벤트",
    "Expect": "기대값",
    "Failure delay": "실패 지연",
    "Failure rate": "실패율",
    "Frames": "프레임",
    "Frontend": "Frontend",
    "Heartbeat": "하트비트",
    "Input": "입력",
    "Interval": "간격",
    "Liveness": "Liveness",
    "Longest wait": "최대 대기",
    "Output": "출력",
    "Primary": "Primary",
    "Publish on": "발행 소켓",
    "Reconnect after": "재연결 대기",
    "Report every": "보고 간격",
    "Role": "역할",
    "Service": "서비스",
    "Services": "서비스 목록",
    "Settle": "안정화 대기",
    "Settle delay": "안정화 지연",
    "Signal": "신호",
    "Signal text": "신호 내용",
    "Socket": "소켓",
    "Start delay": "시작 지연",
    "Started topic": "시작 토픽",
    "State in": "상태 수신",
    "State out": "상태 송신",
    "Subscribe on": "구독 소켓",
    "Subscribers": "구독자 수",
    "Sync": "동기화",
    "Tasks": "작업",
    "Text": "텍스트",
    "Timeout": "타임아웃",
    "Topics": "토픽",
    "Transform": "변환",
    "Work time": "작업 시간",
}

# Units shown after a label ("Crash after (requests)"); socket options' units too.
UNITS_KO = {"ms": "ms", "%": "%", "requests": "요청", "messages": "메시지"}

# Help under a field.
_HELP = {
    "{n}, {node} templates.": "{n}, {node} 템플릿.",
    "{n}, {topic}, {node} templates.": "{n}, {topic}, {node} 템플릿.",
    "0 = as fast as libzmq takes them.": "0 = libzmq가 받아 주는 만큼 빠르게.",
    "Attempts per request (the first one included) before it gives up, as"
    " REQUEST_RETRIES in the zguide.": (
        "포기하기 전까지 요청마다 시도하는 횟수 (첫 시도 포함), zguide의"
        " REQUEST_RETRIES와 같습니다."
    ),
    "auto: a REQ source waits for each reply (lockstep); no: it sends again at once,"
    " which libzmq refuses with EFSM.": (
        "auto: REQ 소스는 매번 응답을 기다립니다 (lockstep); no: 곧바로 다시 보내며,"
        " libzmq는 이것을 EFSM으로 거부합니다."
    ),
    "Crash right after answering this many requests (its sockets close, as when a"
    " process dies); 0 = never. Restart the node to bring it back.": (
        "요청에 이만큼 응답한 직후 크래시합니다 (프로세스가 죽을 때처럼 소켓이 닫힙니다);"
        " 0 = 안 함. 되살리려면 노드를 재시작하세요."
    ),
    "echo: a reply must equal the request (lpclient checks the sequence number); any:"
    " every reply counts.": (
        "echo: 응답이 요청과 같아야 합니다 (lpclient는 일련번호를 확인합니다); any: 어떤"
        " 응답이든 인정합니다."
    ),
    "echo: the body as received; upper: upper-cased; fixed: the text; prefix: text + body.": (
        "echo: 받은 본문 그대로; upper: 대문자로; fixed: 텍스트; prefix: 텍스트 + 본문."
    ),
    "First frame of each event.": "각 이벤트의 첫 프레임.",
    "First wait before reconnecting; doubles after each failure.": (
        "다시 connect하기 전 첫 대기 시간; 실패할 때마다 두 배가 됩니다."
    ),
    "Heartbeat intervals of silence before the peer counts as dead.": (
        "상대를 죽은 것으로 보기 전까지 조용한 하트비트 간격의 수."
    ),
    "How long an overloaded request takes.": "과부하를 만난 요청이 걸리는 시간.",
    "How long to wait for each reply.": "응답마다 기다리는 시간.",
    "Interval between heartbeats (and the unit of liveness).": (
        "하트비트 사이의 간격 (liveness의 단위이기도 합니다)."
    ),
    "Messages to publish.": "발행할 메시지 수.",
    "Messages to send; 0 = unlimited.": "보낼 메시지 수; 0 = 무제한.",
    "None: results are dropped.": "없음: 결과는 버려집니다.",
    "One template per frame of each request: {n} counts from 1, {node} is this node's id.": (
        "요청의 프레임마다 템플릿 하나: {n}은 1부터 세고, {node}는 이 노드의 id입니다."
    ),
    "One template per frame: {n} counts from 1, {topic} cycles through the topics,"
    " {node} is this node's id.": (
        "프레임마다 템플릿 하나: {n}은 1부터 세고, {topic}은 토픽을 차례로 돌며, {node}는"
        " 이 노드의 id입니다."
    ),
    "Optional (usually PUB): after each answer it sends [event topic, request].": (
        "선택 사항 (보통 PUB): 응답할 때마다 [이벤트 토픽, 요청]을 보냅니다."
    ),
    "Optional: a copy of every message.": "선택 사항: 모든 메시지의 사본.",
    "Pause after each answered request.": "응답받은 요청마다 쉬는 시간.",
    "Requests to send; 0 = unlimited.": "보낼 요청 수; 0 = 무제한.",
    "Results per batch; 0 = no end.": "배치 하나의 결과 수; 0 = 끝 없음.",
    "Routing ids of the service DEALERs.": "서비스 DEALER들의 routing id.",
    "Share of requests that meet a simulated overload: the answer comes only after"
    " the failure delay. Random, but the same sequence on every run.": (
        "모의 과부하를 만나는 요청의 비율: 응답은 실패 지연이 지나야 옵니다. 무작위지만"
        " 실행할 때마다 같은 순서입니다."
    ),
    "Tasks to send; 0 = unlimited.": "보낼 작업 수; 0 = 무제한.",
    "The fixed reply, or the prefix.": "고정 응답, 또는 접두사.",
    "The last message, telling subscribers it is over.": (
        "끝났다고 구독자에게 알리는 마지막 메시지."
    ),
    "The request body, one template per frame: {n}, {topic}, {node}.": (
        "요청 본문, 프레임마다 템플릿 하나: {n}, {topic}, {node}."
    ),
    "Time taken before answering.": "응답하기 전에 걸리는 시간.",
    "Values of {topic}, one per message in turn.": "{topic}의 값, 메시지마다 차례로 하나씩.",
    "Values of {topic}, one per request in turn.": "{topic}의 값, 요청마다 차례로 하나씩.",
    "Wait before checking in, so the subscription has reached the publisher (zguide: 1 s).": (
        "체크인 전에 기다리는 시간, 구독이 퍼블리셔에 닿도록 (zguide: 1 s)."
    ),
    "Wait before retrying on the other server.": "다른 서버로 재시도하기 전에 기다리는 시간.",
}

# What a socket field's socket is for, as validation messages and the inspector name it.
_NEEDS = {
    "the socket a client sends requests on": "클라이언트가 요청을 보내는 소켓",
    "the socket a kill signal comes in on": "kill 신호가 들어오는 소켓",
    "the socket a monitor listens on": "모니터가 듣는 소켓",
    "the socket a proxy copies every message to": "프록시가 모든 메시지를 복사해 보내는 소켓",
    "the socket a proxy forwards to": "프록시가 전달하는 소켓",
    "the socket a proxy reads from": "프록시가 읽는 소켓",
    "the socket a replier announces its work on": "응답자가 한 일을 알리는 소켓",
    "the socket a replier answers on": "응답자가 응답하는 소켓",
    "the socket a server hears its peer's state on": "서버가 상대의 상태를 듣는 소켓",
    "the socket a server publishes its state on": "서버가 자기 상태를 발행하는 소켓",
    "the socket a sink receives on": "싱크가 받는 소켓",
    "the socket a source sends on": "소스가 보내는 소켓",
    "the socket a worker receives on": "워커가 받는 소켓",
    "the socket a worker receives tasks on": "워커가 작업을 받는 소켓",
    "the socket a worker sends on": "워커가 보내는 소켓",
    "the socket a worker talks to the broker on": "워커가 브로커와 주고받는 소켓",
    "the socket a worker talks to the queue on": "워커가 큐와 주고받는 소켓",
    "the socket clients and services talk to": "클라이언트와 서비스가 주고받는 소켓",
    "the socket clients and workers talk to": "클라이언트와 워커가 주고받는 소켓",
    "the socket clients talk to": "클라이언트가 주고받는 소켓",
    "the socket connected to the backup": "backup에 connect한 소켓",
    "the socket connected to the primary": "primary에 connect한 소켓",
    "the socket events go out on": "이벤트가 나가는 소켓",
    "the socket it checks in on": "체크인하는 소켓",
    "the socket it publishes on": "발행하는 소켓",
    "the socket it receives on": "받는 소켓",
    "the socket results arrive on": "결과가 도착하는 소켓",
    "the socket results go out on": "결과가 나가는 소켓",
    "the socket subscribers check in on": "구독자가 체크인하는 소켓",
    "the socket tasks go out on": "작업이 나가는 소켓",
    "the socket the signal goes out on": "신호가 나가는 소켓",
    "the socket workers talk to": "워커가 주고받는 소켓",
}

FIELD_KO = {**_LABELS, **UNITS_KO, **_HELP, **_NEEDS}
