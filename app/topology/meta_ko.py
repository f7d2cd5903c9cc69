"""Korean texts of /api/meta (socket options, node kind names), served beside the English ones.

Terms of the trade stay as libzmq and the zguide write them (PUB, SNDHWM, EHOSTUNREACH, ROUTER,
Lazy Pirate, Majordomo, Binary Star). build_meta() turns each translated `label` / `help` into an
{"en", "ko"} object under "text"; the browser picks one with i18n.pick(). Kind help and
behaviour-field texts are in kinds_ko.py.
"""

OPTIONS_KO = {
    "conflate": ("Conflate", "마지막 메시지만 남깁니다."),
    "expose": (
        "127.0.0.1에 노출",
        "서버가 고른 127.0.0.1의 tcp 포트에도 bind해서, 밖의 ZeroMQ 프로그램이 이 소켓에 connect할"
        " 수 있게 합니다 (bind하는 소켓만).",
    ),
    "heartbeat_ivl": ("하트비트 간격", "ZMTP 하트비트: 이 간격마다 PING을 보냅니다. 0 = 끔."),
    "heartbeat_timeout": (
        "하트비트 타임아웃",
        "ZMTP 하트비트: PING 뒤 이만큼 아무것도 오지 않으면 연결을 닫습니다. 0 = 미설정이며,"
        " libzmq는 간격 값을 씁니다.",
    ),
    "heartbeat_ttl": (
        "하트비트 TTL",
        "ZMTP 하트비트: PING 없이 이만큼 지나면 닫으라고 상대에게 요청합니다. 0 = 안 함.",
    ),
    "immediate": ("Immediate", "연결이 완료된 상대에게만 메시지를 큐에 넣습니다."),
    "linger": ("Linger", "close()가 보내지 못한 메시지를 얼마나 붙잡고 있는지; -1 = 무한."),
    "rcvhwm": (
        "수신 high-water mark (RCVHWM)",
        "송신 측을 멈추게 하기 전까지 수신 큐에 쌓이는 메시지 수; 0 = 제한 없음.",
    ),
    "req_correlate": ("REQ correlate", "요청 id로 응답을 요청에 맞춥니다."),
    "req_relaxed": ("REQ relaxed", "응답이 오기 전에 새 요청을 보낼 수 있게 합니다."),
    "router_handover": (
        "Router handover",
        "이미 쓰이는 routing id로 온 새 상대가 그 id를 넘겨받습니다.",
    ),
    "router_mandatory": (
        "Router mandatory",
        "라우팅할 수 없는 메시지를 버리지 않고 EHOSTUNREACH로 실패합니다.",
    ),
    "routing_id": ("Routing id", "ROUTER 상대가 자동 id 대신 보게 되는 식별자."),
    "sndhwm": (
        "송신 high-water mark (SNDHWM)",
        "소켓이 막히거나 버리기 전까지 상대별로 큐에 쌓이는 메시지 수; 0 = 제한 없음.",
    ),
    "subscribe": (
        "구독",
        '첫 프레임과 비교하는 접두사; "" = 전부, 없음 = 아무것도 받지 않음.',
    ),
    "xpub_nodrop": ("XPUB no-drop", "high-water mark에서 버리지 않고 EAGAIN으로 실패합니다."),
    "xpub_verbose": ("XPUB verbose", "토픽마다 첫 구독만이 아니라 모든 구독을 전달합니다."),
}

KIND_LABELS_KO = {
    "bstar_client": "Binary Star 클라이언트",
    "bstar_server": "Binary Star 서버",
    "collector": "수집기",
    "gateway": "API 게이트웨이",
    "lazy_pirate": "Lazy Pirate 클라이언트",
    "lb_broker": "부하 분산 브로커",
    "lb_worker": "부하 분산 워커",
    "mdp_broker": "Majordomo 브로커",
    "mdp_client": "Majordomo 클라이언트",
    "mdp_worker": "Majordomo 워커",
    "monitor": "모니터",
    "pp_queue": "Paranoid Pirate 큐",
    "pp_worker": "Paranoid Pirate 워커",
    "producer": "작업 생산자",
    "proxy": "프록시",
    "replier": "응답자",
    "sink": "싱크",
    "source": "소스",
    "sync_pub": "동기화 퍼블리셔",
    "sync_sub": "동기화 구독자",
    "task_worker": "작업 워커",
    "worker": "워커",
}
