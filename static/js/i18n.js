// The page's language (English or Korean) and every user-visible string the front end composes.
// No DOM at import time, so model/ modules may use t() too.
//
//   t("run.run")                      → "Run" / "실행"
//   t("insp.link", { id: "l1" })      → "Link l1" / "링크 l1"        ({var} interpolation)
//   t("frames.nframes", { n: 2 })     → "2 frames"   (a key with .one/.other forms picks by n)
//   pick({ en, ko })                  → the current language's text of a server object (presets)
//
// One language state for the whole page: initial from ?lang=en|ko, else localStorage (the
// editor only; embeds never touch it), else navigator.language. setLang() sets <html lang>,
// refills every [data-i18n*] element and tells the onLangChange() listeners, which re-render
// their own parts; nothing is reloaded, so the canvas and a run keep going.
//
// Markup: data-i18n="key" fills textContent, data-i18n-html="key" innerHTML (dictionary text
// only; vars are escaped), data-i18n-title / -aria-label / -placeholder fill that attribute,
// data-i18n-vars='{"what":"topology"}' supplies vars. A key missing in ko falls back to en.
// ZeroMQ terms (PUB/SUB, ROUTER, HWM, bind/connect, envelope...) stay untranslated.

export const LANGS = ["en", "ko"];
export const LANG_NAMES = { en: "EN", ko: "한국어" };
const STORAGE_KEY = "zpg.lang";

export const DICT = {
  en: {
    // --- header, language ---------------------------------------------------------------------
    "lang.switch": "Language",
    "tb.aria": "Editing",
    "tb.undo": "Undo (Ctrl+Z)",
    "tb.redo": "Redo (Ctrl+Shift+Z)",
    "tb.layout": "Auto layout",
    "tb.layout.title": "Arrange the nodes along the message flow",
    "tb.fit": "Fit the topology to the view",
    "tb.new": "New: start from an empty canvas",
    "tb.share": "Share",
    "tb.share.title": "Share: a short link, the full link, an embed snippet",
    "tb.undid": "Undid: {label}",
    "tb.redid": "Redid: {label}",
    "tb.shareUnavailable": "Sharing is unavailable right now",
    "zoom.in": "Zoom in",
    "zoom.out": "Zoom out",
    "aria.palette": "Palette",
    "aria.canvas": "Canvas",
    "aria.inspector": "Inspector",
    "aria.legend": "Legend",
    "aria.topology": "Topology",

    // --- empty canvas, legend -----------------------------------------------------------------
    "empty.title": "Draw a ZeroMQ topology",
    "empty.body": "Drag a <b>Source</b> and a <b>Sink</b> from the palette, drag from one socket's port to the other to wire them, then press <b>Run</b>: every real message travels as a token.",
    "empty.presets": "Or start from a preset:",
    "legend.delivered": "delivered",
    "legend.filtered": "filtered by a SUB",
    "legend.dropped": "dropped",
    "legend.sent": "sent",
    "legend.counts": "✓ delivered ✕ filtered ⚠ dropped ▬ queue / HWM",

    // --- run controls and status --------------------------------------------------------------
    "run.run": "Run",
    "run.restart": "Restart",
    "run.pause": "Pause",
    "run.resume": "Resume",
    "run.stop": "Stop",
    "run.step": "Step",
    "run.step.title": "Let exactly one more message be sent, then pause again",
    "run.speed": "Speed",
    "run.speed.title": "Speed: 1× is real time; lower values slow the run and the animation down",
    "run.sample": "showing a sample; counters exact",
    "run.sample.title": "The page is shown a sample of the message events; every counter is still exact",
    "run.skipped": "{n} message events not animated in the last batch",
    "run.versions": "real ZeroMQ: libzmq {libzmq}, pyzmq {pyzmq}",
    "run.addNodes": "Add some nodes first, or pick a preset",
    "run.server": "Server: {message}",
    "run.refused": "The server refused to run it: {n} problem(s), see Problems",
    "run.connectionLost": "connection lost",
    "status.idle": "idle",
    "status.starting": "starting",
    "status.running": "running",
    "status.paused": "paused",
    "status.stopped": "stopped",
    "status.offline": "offline",
    "status.ready": "ready",
    "status.replay": "replay",
    "status.replaying": "replaying",
    "status.recorded": "recorded",

    // --- presets and the explanation card -----------------------------------------------------
    "presets.button": "Presets",
    "presets.none": "No presets available",
    "presets.loadFailed": "Could not load preset {id}: {error}",
    "explain.fold": "Show all / fold",
    "explain.hide": "Hide",

    // --- palette ------------------------------------------------------------------------------
    "pal.nodes": "Nodes",
    "pal.sockets": "Sockets",
    "pal.sockets.hint": "drop on a node",
    "pal.patterns": "Patterns",
    "pal.patterns.hint": "ready-made nodes",
    "pal.fam.reqrep": "Request–reply",
    "pal.fam.pubsub": "Publish–subscribe",
    "pal.fam.pipeline": "Pipeline",
    "pal.fam.pair": "Exclusive pair",
    "pal.group.basics": "Basics",
    "pal.group.reliable": "Reliable request–reply",
    "pal.group.pipesub": "Pipeline and publish–subscribe",
    "pal.group.more": "More",
    "pal.kind.title": "{help} Drag onto the canvas, or click to add.",
    "pal.sock.title": "Drag onto a node to add a {type} socket (talks to {peers})",
    "pal.bind": "bind",
    "pal.connect": "connect",
    "pal.dropOnNode": "Drop the {type} socket onto a node (or select a node and click {type})",
    "pal.maxSockets": "A node has at most 8 sockets",
    "kind.source.blurb": "Sends on a timer",
    "kind.replier.blurb": "Answers each request",
    "kind.worker.blurb": "Works on what it gets",
    "kind.sink.blurb": "Receives and counts",

    // --- canvas -------------------------------------------------------------------------------
    "canvas.port": "{type} · {mode} · {where}: drag to another socket to wire",
    "canvas.problems.one": "⚠ {n} problem",
    "canvas.problems.other": "⚠ {n} problems",
    "canvas.traffic": "sent {sent} · recv {recv}",
    "canvas.blocked": "blocked (HWM)",
    // queue gauges, blocked senders (animation/gauges.js)
    "gauge.label": "queue {q}/{cap}",
    "gauge.labelOver": "queue {cap}/{cap} +{n} over HWM",
    "gauge.labelNoLimit": "queue {q} (no HWM)",
    "gauge.labelUnknown": "queue ?",
    "gauge.blocked": "blocked at HWM",
    "gauge.room": "room for {cap} = {parts}",
    "gauge.noLimit": "no limit (an HWM of 0): the queue grows until memory runs out",
    "gauge.hwmPart": "SNDHWM {snd} of {from} + RCVHWM {rcv} of {to}",
    "gauge.linkHead": "Queue on link {id} ({dir}): {q} sent and not received yet (exact).",
    "gauge.socketHead": "Queue of {key} ({type}) over its {n} links: {q} sent and not received yet (exact). libzmq picks the pipe of each message and does not say which, so this is the total, not per link.",
    "gauge.socketHeadOne": "Queue of {key} ({type}) towards {peer}: {q} sent and not received yet (exact). Drawn at the port: what {peer} sends back on this link is not known per link, so the link has no total of its own.",
    "gauge.routerHead": "{key} (ROUTER), {n} link(s): {q} sent and not received yet. A ROUTER drops silently at its HWM and libzmq does not say so: some of these may be dropped rather than queued.",
    "gauge.overInproc": "More than fits: over inproc the queue holds at most the HWM budget, so a PUB has dropped the rest. The ⚠ count shows each drop once a later message arrives (libzmq never reports drops).",
    "gauge.overNet": "More than the HWM budget: over ipc/tcp the kernel's socket buffers hold messages too. A PUB drops what does not fit; the ⚠ count shows each drop once a later message arrives (libzmq never reports drops).",
    "gauge.overP2p": "More than the HWM budget: over ipc/tcp the kernel's socket buffers hold messages too.",
    "gauge.blockedNote": "{key} is blocked: its send() waits until the receiver takes a message.",
    "gauge.batchNote": "libzmq tells a sender about freed room in batches, so it can wait with a message or two fewer queued than the budget.",
    "gauge.unknownLink": "link {id}",
    "gauge.unknownTip": "{what}: depth unknown. A socket at one end was closed or disconnected (kill, restart, reconnect, cut) while messages were on their way; libzmq discarded them without saying how many.",
    "gauge.blockedTip": "{key} ({type}) is blocked at its high-water mark: every queue towards its peers is full (or no peer is connected), so send() waits until a receiver takes a message. {type} never drops a message; it holds the sender back instead.",

    // --- wiring -------------------------------------------------------------------------------
    "wire.or": "{list} or {last}",
    "wire.onlyTo": "{a} talks only to {peer}, not {b}",
    "wire.talksTo": "{a} talks to {peers}, not {b}",
    "wire.noLinks": "{a} sockets cannot be linked",
    "wire.unknown": "Unknown socket",
    "wire.self": "A socket cannot be linked to itself",
    "wire.bothBind": "Both ends bind: one socket must bind and the other connect (switch {where} to connect)",
    "wire.bothConnect": "Both ends connect: one socket must bind and the other connect (switch {where} to bind)",
    "wire.dup": "These two sockets are already linked",
    "wire.pair": "PAIR {where} already has its one peer",
    "wire.cannot": "Cannot wire: {reason}",
    "wire.fix": "Make {where} {mode} and wire",

    // --- inspector ----------------------------------------------------------------------------
    "insp.topology": "Topology",
    "insp.title": "Title",
    "insp.description": "Description",
    "insp.transport": "Transport",
    "insp.start": "Start",
    "insp.start.help": "ready: nodes start once every connection is up (exact round robin); immediate: like a program that sends right after connect (shows the slow joiner)",
    "insp.docHint": "Select a node or a link to edit it. Drag node kinds from the palette; drag from one port to another to wire them.",
    "insp.delete": "Delete",
    "insp.id": "Id",
    "insp.label": "Label",
    "insp.behaviour": "Behaviour",
    "insp.noSettings": "No settings.",
    "insp.sockets": "Sockets",
    "insp.addSocket": "Add socket",
    "insp.socketType": "socket type",
    "insp.socketName": "socket name",
    "insp.removeSocket": "Remove socket",
    "insp.mode": "Mode",
    "insp.mode.bind": "peers connect to it",
    "insp.mode.connect": "it connects to its peers",
    "insp.subscriptions": "Subscriptions",
    "insp.subsAll": "everything (\"\")",
    "insp.subsPlaceholder": "topic prefixes, one per line",
    "insp.moreOptions": "More options",
    "insp.link": "Link {id}",
    "insp.connects": "connects",
    "insp.binds": "binds",
    "insp.to": "↓ to",
    "insp.counters": "Counters",
    "insp.wire": "Connection",
    "insp.wireIdle": "Over {transport} once the run starts: the engine picks the endpoint (127.0.0.1 ports, a private ipc directory or inproc names), never a user.",
    "insp.messages": "Messages",
    "insp.flow.both": "{c} ⇄ {b} (both ways)",
    "insp.flow.none": "none: these types cannot exchange messages",
    "insp.linkHint": "Which end connects and which binds does not decide the direction messages travel: the socket types do.",
    "insp.nodeExists": "A node named {id} exists already",
    "insp.badId": "An id starts with a letter, then letters, digits, _ or - (at most 40)",
    "insp.socketExists": "{node} already has a socket named {name}",
    "insp.badSocketName": "A socket name starts with a letter, then letters, digits, _ or - (at most 20)",
    "insp.needOneSocket": "A node needs at least one socket",
    "field.none": "— none —",
    "field.missing": "{name} (missing)",
    "field.onePerLine": "one per line",
    "count.delivered": "delivered",
    "count.filtered": "filtered",
    "count.dropped": "dropped",

    // --- faults -------------------------------------------------------------------------------
    "faults.title": "During this run",
    "faults.pause": "Pause node",
    "faults.resume": "Resume node",
    "faults.pause.title": "Stop calling send/recv: a slow consumer whose queues fill",
    "faults.kill": "Kill",
    "faults.kill.title": "Close its sockets: peers see a disconnect",
    "faults.restart": "Restart",
    "faults.restart.title": "New sockets, behaviour from scratch",
    "faults.delay": "Slow down",
    "faults.delay.title": "Add this many ms to every wait (0 removes it)",
    "faults.delay.input": "Extra delay added to every wait of this node",
    "faults.state": "state: {state}",
    "faults.cut": "Cut link",
    "faults.cut.title": "The connecting socket disconnects from this endpoint",
    "faults.restore": "Restore link",
    "faults.restore.title": "Reconnect the connecting socket",

    // --- event log ----------------------------------------------------------------------------
    "log.title": "Event log",
    "log.clear": "Clear",
    "log.empty": "Press <b>Run</b> and every real message shows up here. Click one to see its frames.",
    "log.count.one": "{count} event",
    "log.count.other": "{count} events",
    "log.run": "run",
    "log.gap": "{n} more events not listed (busy run; counters stay exact)",
    "log.sent": "sent",
    "log.envelope": "+{n} envelope",
    "log.filtered": "filtered: no subscription matches {topic}",
    "log.dropped": "dropped ({reason})",
    "log.link": "link {id} {state}",
    "log.blocked": "blocked: at its high-water mark, send waits",
    "log.unblocked": "unblocked",
    "log.stopped": "run stopped",
    "log.started": "Run {run} started over {transport}: {n} links up.",
    "log.exposed": "{socket} is exposed at {endpoint}: outside programs can connect to it.",
    "log.runStopped": "Run stopped.",
    "log.runStoppedWhy": "Run stopped ({reason}).",
    "ev.sent": "sent",
    "ev.delivered": "delivered",
    "ev.filtered": "filtered",
    "ev.dropped": "dropped",
    "ev.error": "error",
    "ev.state": "state",
    "ev.node": "node",
    "ev.link": "link",
    "ev.blocked": "blocked",
    "ev.unblocked": "unblocked",
    "ev.stopped": "stopped",

    // node and link states the server reports (unknown ones show as they come)
    "state.started": "started",
    "state.waiting": "waiting",
    "state.finished": "finished",
    "state.crashed": "crashed",
    "state.killed": "killed",
    "state.restarted": "restarted",
    "state.paused": "paused",
    "state.resumed": "resumed",
    "state.delayed": "delayed",
    "state.subscribed": "subscribed",
    "state.unsubscribed": "unsubscribed",
    "state.stopped": "stopped",
    "state.connected": "connected",
    "state.cut": "cut",
    "state.restored": "restored",

    // --- frames -------------------------------------------------------------------------------
    "frames.title": "Frames",
    "frames.empty": "Click a token on the canvas or a line in the event log to see that message's frames.",
    "frames.gone": "Message {id} is no longer kept (only the last 2000 are).",
    "frames.message": "message {id}",
    "frames.emptyFrame": "empty",
    "frames.kind.envelope": "envelope",
    "frames.kind.hex": "hex",
    "frames.kind.text": "text",
    "frames.st.delivered": "delivered",
    "frames.st.filtered": "filtered",
    "frames.st.dropped": "dropped ({reason})",
    "frames.st.sent": "sent",
    "frames.t.sent": "sent {t}",
    "frames.t.received": "received {t}",
    "frames.t.filtered": "filtered {t}",
    "frames.t.dropped": "dropped {t}",
    "frames.link": "link",
    "frames.filteredNote": "The SUB at {to} has no subscription that matches the first frame {topic}, so the publisher never sent it on this link.",
    "frames.asSent": "As sent by {from}",
    "frames.asReceived": "As received by {to}",
    "frames.nframes.one": "{n} frame",
    "frames.nframes.other": "{n} frames",
    "frames.nenvelope.one": "{n} envelope frame added by libzmq",
    "frames.nenvelope.other": "{n} envelope frames added by libzmq",
    "frames.recvReturned": "what recv returned",
    "frames.alsoDelivered": "Also delivered to {list}.",
    "frames.filteredAt": "Filtered at {list}.",
    "frames.cut": "Frames longer than 256 bytes are shown cut.",

    // --- problems -----------------------------------------------------------------------------
    "problems.title": "Problems",
    "problems.none": "✓ none",
    "problems.topology": "topology",

    // --- share tools, export, import, replay --------------------------------------------------
    "share.replay": "Replay",
    "share.replay.title": "Replay the recorded run in the page, with no server",
    "share.export": "Export",
    "share.exportJson": "Topology as JSON",
    "share.exportSvg": "Picture (SVG)",
    "share.exportPng": "Picture (PNG)",
    "share.exportPython": "Runnable Python (pyzmq)",
    "share.import": "Import JSON…",
    "share.share": "Share",
    "share.share.title": "Short link, full link, embed snippet, badge",
    "share.nothing": "Nothing to share yet: add some nodes or pick a preset",
    "share.pythonSaved": "Saved a Python script: run it with python (needs pyzmq); every node gets its own process",
    "share.importFailed": "Could not import {name}: {why}",
    "share.notTopology": "not a topology",
    "share.importedProblems": "Imported {name} with {n} problem(s): see Problems",
    "share.imported": "Imported {name}",
    "dlg.title": "Share this topology",
    "dlg.close": "Close (Esc)",
    "dlg.short": "Short link",
    "dlg.short.hint": "saved; it never changes, editing makes a new one",
    "dlg.includeRec": "Include the recorded run",
    "dlg.recInfo": "({events} events, {seconds} s, libzmq {libzmq}): readers replay it with no server",
    "dlg.saving": "Saving…",
    "dlg.copy": "Copy",
    "dlg.copied": "Copied",
    "dlg.full": "Full link",
    "dlg.full.hint": "the whole topology in the address; needs no storage",
    "dlg.embed": "Embed",
    "dlg.embed.hint": "for documentation pages: nothing runs until the reader clicks",
    "dlg.theme": "Theme",
    "dlg.theme.light": "light",
    "dlg.theme.dark": "dark",
    "dlg.theme.auto": "auto",
    "dlg.speed": "Speed",
    "dlg.language": "Language",
    "dlg.language.auto": "reader's",
    "dlg.editable": "editable",
    "dlg.autoplay": "autoplay",
    "dlg.paused": "start paused",
    "dlg.hideSpeed": "hide speed",
    "dlg.badge": "Markdown badge",
    "dlg.badge.hint": "a picture of the topology that opens the live one",
    "dlg.needsShort": "(needs a short link)",
    "dlg.defaultTitle": "ZeroMQ topology",
    "replay.tag": "● Recorded run",
    "replay.tag.title": "A recorded run: it replays in your browser, no server involved",
    "replay.play": "Play / pause",
    "replay.step": "Step to the next message",
    "replay.scrub": "Position in the recording",
    "replay.versions": "The libzmq and pyzmq that produced this recording",
    "replay.cut": "cut at {n} events",
    "replay.close": "Close the replay",

    // --- embeds and the not-found page ---------------------------------------------------------
    "embed.run": "Run",
    "embed.open": "Open in playground ↗",
    "embed.openPlayground": "Open the playground ↗",
    "embed.speed.title": "Speed: lower is slower",
    "embed.playRecorded": "Play the recorded run",
    "embed.runLive": "Run it live",
    "embed.noteRecorded": "A recorded run replayed in your browser (libzmq {libzmq}, pyzmq {pyzmq}).",
    "embed.noteLive": "Real ZeroMQ sockets on the server; nothing starts until you click.",
    "embed.noTopology": "This embed holds no topology: its link is incomplete or was cut short.",
    "embed.refused": "The server refused it: {why}",
    "embed.invalid": "invalid topology",
    "nf.title": "This {what} isn't here",
    "nf.body": "No saved {what} has this address. The link may be mistyped or cut short: short links look like <code>/t/</code> followed by twelve letters and digits.",
    "nf.open": "Open the playground",
    "nf.what.topology": "topology",
  },

  ko: {
    "lang.switch": "언어",
    "tb.aria": "편집",
    "tb.undo": "실행 취소 (Ctrl+Z)",
    "tb.redo": "다시 실행 (Ctrl+Shift+Z)",
    "tb.layout": "자동 배치",
    "tb.layout.title": "메시지 흐름에 따라 노드를 정렬합니다",
    "tb.fit": "토폴로지를 화면에 맞추기",
    "tb.new": "새로 만들기: 빈 캔버스에서 시작",
    "tb.share": "공유",
    "tb.share.title": "공유: 짧은 링크, 전체 링크, 임베드 코드",
    "tb.undid": "실행 취소: {label}",
    "tb.redid": "다시 실행: {label}",
    "tb.shareUnavailable": "지금은 공유 기능을 쓸 수 없습니다",
    "zoom.in": "확대",
    "zoom.out": "축소",
    "aria.palette": "팔레트",
    "aria.canvas": "캔버스",
    "aria.inspector": "속성 패널",
    "aria.legend": "범례",
    "aria.topology": "토폴로지",

    "empty.title": "ZeroMQ 토폴로지를 그려 보세요",
    "empty.body": "팔레트에서 <b>Source</b>와 <b>Sink</b>를 끌어다 놓고, 한 소켓의 포트에서 다른 소켓의 포트로 끌어 연결한 뒤 <b>실행</b>을 누르세요. 실제로 오가는 메시지 하나하나가 토큰으로 움직입니다.",
    "empty.presets": "또는 프리셋으로 시작하기:",
    "legend.delivered": "전달됨",
    "legend.filtered": "SUB에서 필터됨",
    "legend.dropped": "드롭됨",
    "legend.sent": "전송됨",
    "legend.counts": "✓ 전달 ✕ 필터 ⚠ 드롭 ▬ 큐 / HWM",

    "run.run": "실행",
    "run.restart": "재시작",
    "run.pause": "일시정지",
    "run.resume": "재개",
    "run.stop": "중지",
    "run.step": "한 단계",
    "run.step.title": "메시지를 정확히 하나 더 보낸 뒤 다시 일시정지합니다",
    "run.speed": "속도",
    "run.speed.title": "속도: 1×는 실제 시간입니다. 값이 작을수록 실행과 애니메이션이 느려집니다",
    "run.sample": "일부만 표시 중, 카운터는 정확함",
    "run.sample.title": "메시지 이벤트의 일부만 화면에 보내고 있습니다. 카운터는 모두 정확합니다",
    "run.skipped": "직전 묶음에서 애니메이션하지 않은 메시지 이벤트 {n}개",
    "run.versions": "실제 ZeroMQ: libzmq {libzmq}, pyzmq {pyzmq}",
    "run.addNodes": "먼저 노드를 추가하거나 프리셋을 고르세요",
    "run.server": "서버: {message}",
    "run.refused": "서버가 실행을 거부했습니다: 문제 {n}개, 문제 목록을 확인하세요",
    "run.connectionLost": "연결 끊김",
    "status.idle": "대기",
    "status.starting": "시작 중",
    "status.running": "실행 중",
    "status.paused": "일시정지됨",
    "status.stopped": "중지됨",
    "status.offline": "오프라인",
    "status.ready": "준비",
    "status.replay": "재생",
    "status.replaying": "재생 중",
    "status.recorded": "녹화됨",

    "presets.button": "프리셋",
    "presets.none": "사용할 수 있는 프리셋이 없습니다",
    "presets.loadFailed": "프리셋 {id} 불러오기 실패: {error}",
    "explain.fold": "모두 보기 / 접기",
    "explain.hide": "숨기기",

    "pal.nodes": "노드",
    "pal.sockets": "소켓",
    "pal.sockets.hint": "노드 위에 놓기",
    "pal.patterns": "패턴",
    "pal.patterns.hint": "미리 만든 노드",
    "pal.fam.reqrep": "요청–응답",
    "pal.fam.pubsub": "발행–구독",
    "pal.fam.pipeline": "파이프라인",
    "pal.fam.pair": "배타적 페어",
    "pal.group.basics": "기본",
    "pal.group.reliable": "신뢰성 있는 요청–응답",
    "pal.group.pipesub": "파이프라인과 발행–구독",
    "pal.group.more": "기타",
    "pal.kind.title": "{help} 캔버스로 끌어다 놓거나 클릭해서 추가하세요.",
    "pal.sock.title": "노드 위에 놓으면 {type} 소켓이 추가됩니다 (통신 상대: {peers})",
    "pal.bind": "bind",
    "pal.connect": "connect",
    "pal.dropOnNode": "{type} 소켓은 노드 위에 놓으세요 (또는 노드를 선택하고 {type}을 클릭)",
    "pal.maxSockets": "노드 하나에는 소켓을 8개까지 둘 수 있습니다",
    "kind.source.blurb": "주기적으로 전송",
    "kind.replier.blurb": "요청마다 응답",
    "kind.worker.blurb": "받은 작업을 처리",
    "kind.sink.blurb": "수신하고 개수를 셈",

    "canvas.port": "{type} · {mode} · {where}: 다른 소켓으로 끌어 연결하세요",
    "canvas.problems.one": "⚠ 문제 {n}개",
    "canvas.problems.other": "⚠ 문제 {n}개",
    "canvas.traffic": "송신 {sent} · 수신 {recv}",
    "canvas.blocked": "차단됨 (HWM)",
    "gauge.label": "큐 {q}/{cap}",
    "gauge.labelOver": "큐 {cap}/{cap} +{n} HWM 초과",
    "gauge.labelNoLimit": "큐 {q} (HWM 없음)",
    "gauge.labelUnknown": "큐 ?",
    "gauge.blocked": "HWM에서 차단됨",
    "gauge.room": "자리 {cap}개 = {parts}",
    "gauge.noLimit": "제한 없음 (HWM 0): 메모리가 바닥날 때까지 큐가 자랍니다",
    "gauge.hwmPart": "{from}의 SNDHWM {snd} + {to}의 RCVHWM {rcv}",
    "gauge.linkHead": "링크 {id}의 큐 ({dir}): 보냈지만 아직 받지 않은 메시지 {q}개 (정확한 값).",
    "gauge.socketHead": "{key}({type})의 큐, 링크 {n}개 합계: 보냈지만 아직 받지 않은 메시지 {q}개 (정확한 값). 메시지마다 어느 파이프로 보낼지는 libzmq가 고르고 알려 주지 않으므로, 링크별 값이 아니라 합계입니다.",
    "gauge.socketHeadOne": "{key}({type})에서 {peer}(으)로 가는 큐: 보냈지만 아직 받지 않은 메시지 {q}개 (정확한 값). {peer}이(가) 이 링크로 돌려보내는 양은 링크별로 알 수 없어 링크 자체의 합계가 없으므로 포트에 표시합니다.",
    "gauge.routerHead": "{key}(ROUTER), 링크 {n}개: 보냈지만 아직 받지 않은 메시지 {q}개. ROUTER는 HWM에 닿으면 조용히 버리고 libzmq도 알리지 않으므로, 이 중 일부는 큐에 있지 않고 버려졌을 수 있습니다.",
    "gauge.overInproc": "담을 수 있는 양보다 많습니다: inproc에서 큐는 HWM 예산까지만 담으므로 나머지는 PUB가 버렸습니다. ⚠ 수는 뒤의 메시지가 도착해야 버려진 메시지를 셉니다 (libzmq는 버림을 알리지 않습니다).",
    "gauge.overNet": "HWM 예산보다 많습니다: ipc/tcp에서는 커널의 소켓 버퍼도 메시지를 담습니다. 들어가지 못한 메시지는 PUB가 버리고, ⚠ 수는 뒤의 메시지가 도착해야 버려진 메시지를 셉니다 (libzmq는 버림을 알리지 않습니다).",
    "gauge.overP2p": "HWM 예산보다 많습니다: ipc/tcp에서는 커널의 소켓 버퍼도 메시지를 담습니다.",
    "gauge.blockedNote": "{key}이(가) 차단됨: 받는 쪽이 메시지를 가져갈 때까지 send()가 기다립니다.",
    "gauge.batchNote": "libzmq는 빈 자리를 송신자에게 묶음으로 알려 주므로, 송신자는 예산보다 한두 개 적게 쌓인 상태에서 기다릴 수 있습니다.",
    "gauge.unknownLink": "링크 {id}",
    "gauge.unknownTip": "{what}: 깊이를 알 수 없습니다. 메시지가 오가는 도중에 한쪽 소켓이 닫히거나 연결이 끊겼고(kill, restart, 재연결, cut), libzmq는 그 메시지를 몇 개인지 알리지 않고 버렸습니다.",
    "gauge.blockedTip": "{key}({type})이(가) HWM(최고 수위선)에서 차단됨: 피어로 가는 큐가 모두 찼거나 연결된 피어가 없어서, 받는 쪽이 메시지를 가져갈 때까지 send()가 기다립니다. {type}는 메시지를 버리지 않고 대신 송신자를 붙잡아 둡니다.",

    "wire.or": "{list} 또는 {last}",
    "wire.onlyTo": "{a}의 상대는 {peer}뿐입니다 ({b} 불가)",
    "wire.talksTo": "{a}의 상대는 {peers}입니다 ({b} 불가)",
    "wire.noLinks": "{a} 소켓은 연결할 수 없습니다",
    "wire.unknown": "알 수 없는 소켓",
    "wire.self": "소켓을 자기 자신과 연결할 수는 없습니다",
    "wire.bothBind": "양쪽 모두 bind입니다: 한쪽은 bind, 다른 쪽은 connect여야 합니다 ({where}의 모드를 connect로 바꾸세요)",
    "wire.bothConnect": "양쪽 모두 connect입니다: 한쪽은 bind, 다른 쪽은 connect여야 합니다 ({where}의 모드를 bind로 바꾸세요)",
    "wire.dup": "두 소켓은 이미 연결되어 있습니다",
    "wire.pair": "PAIR {where}에는 이미 상대가 하나 있습니다",
    "wire.cannot": "연결할 수 없습니다: {reason}",
    "wire.fix": "{where}의 모드를 {mode}로 바꾸고 연결",

    "insp.topology": "토폴로지",
    "insp.title": "제목",
    "insp.description": "설명",
    "insp.transport": "전송 방식",
    "insp.start": "시작 방식",
    "insp.start.help": "ready: 모든 연결이 맺어진 뒤 노드가 시작합니다(정확한 라운드 로빈). immediate: connect 직후 바로 보내는 프로그램처럼 동작합니다(slow joiner 현상이 보입니다)",
    "insp.docHint": "노드나 링크를 선택하면 편집할 수 있습니다. 팔레트에서 노드 종류를 끌어다 놓고, 포트에서 다른 포트로 끌어 연결하세요.",
    "insp.delete": "삭제",
    "insp.id": "ID",
    "insp.label": "이름",
    "insp.behaviour": "동작",
    "insp.noSettings": "설정 없음.",
    "insp.sockets": "소켓",
    "insp.addSocket": "소켓 추가",
    "insp.socketType": "소켓 타입",
    "insp.socketName": "소켓 이름",
    "insp.removeSocket": "소켓 제거",
    "insp.mode": "모드",
    "insp.mode.bind": "상대가 이 소켓에 connect",
    "insp.mode.connect": "이 소켓이 상대에 connect",
    "insp.subscriptions": "구독",
    "insp.subsAll": "전부 (\"\")",
    "insp.subsPlaceholder": "토픽 접두사, 한 줄에 하나씩",
    "insp.moreOptions": "옵션 더 보기",
    "insp.link": "링크 {id}",
    "insp.connects": "connect",
    "insp.binds": "bind",
    "insp.to": "↓ 연결 대상",
    "insp.counters": "카운터",
    "insp.wire": "연결",
    "insp.wireIdle": "실행하면 {transport}로 연결됩니다. 엔드포인트(127.0.0.1 포트, 전용 ipc 디렉터리, inproc 이름)는 사용자가 아니라 엔진이 정합니다.",
    "insp.messages": "메시지 방향",
    "insp.flow.both": "{c} ⇄ {b} (양방향)",
    "insp.flow.none": "없음: 이 타입끼리는 메시지를 주고받을 수 없습니다",
    "insp.linkHint": "메시지가 흐르는 방향은 어느 쪽이 connect하고 어느 쪽이 bind하는지가 아니라 소켓 타입이 정합니다.",
    "insp.nodeExists": "이름이 {id}인 노드가 이미 있습니다",
    "insp.badId": "ID는 영문자로 시작하고 영문자, 숫자, _, -만 쓸 수 있습니다 (최대 40자)",
    "insp.socketExists": "{node}에 이름이 {name}인 소켓이 이미 있습니다",
    "insp.badSocketName": "소켓 이름은 영문자로 시작하고 영문자, 숫자, _, -만 쓸 수 있습니다 (최대 20자)",
    "insp.needOneSocket": "노드에는 소켓이 하나 이상 있어야 합니다",
    "field.none": "— 없음 —",
    "field.missing": "{name} (없음)",
    "field.onePerLine": "한 줄에 하나씩",
    "count.delivered": "전달",
    "count.filtered": "필터",
    "count.dropped": "드롭",

    "faults.title": "실행 중 장애 주입",
    "faults.pause": "노드 일시정지",
    "faults.resume": "노드 재개",
    "faults.pause.title": "send/recv 호출을 멈춥니다: 큐가 차오르는 느린 소비자",
    "faults.kill": "강제 종료",
    "faults.kill.title": "소켓을 닫습니다: 상대는 연결 끊김을 봅니다",
    "faults.restart": "재시작",
    "faults.restart.title": "새 소켓으로 동작을 처음부터 다시 시작",
    "faults.delay": "지연 추가",
    "faults.delay.title": "매 대기마다 이만큼(ms) 더 기다립니다 (0이면 해제)",
    "faults.delay.input": "이 노드의 매 대기에 더해지는 지연",
    "faults.state": "상태: {state}",
    "faults.cut": "링크 끊기",
    "faults.cut.title": "connect한 소켓이 이 엔드포인트에서 disconnect합니다",
    "faults.restore": "링크 복구",
    "faults.restore.title": "connect한 소켓을 다시 연결합니다",

    "log.title": "이벤트 로그",
    "log.clear": "지우기",
    "log.empty": "<b>실행</b>을 누르면 실제로 오가는 메시지가 모두 여기에 나타납니다. 한 줄을 클릭하면 그 메시지의 프레임을 볼 수 있습니다.",
    "log.count.one": "이벤트 {count}개",
    "log.count.other": "이벤트 {count}개",
    "log.run": "실행",
    "log.gap": "이벤트 {n}개는 목록에서 생략 (바쁜 실행, 카운터는 정확함)",
    "log.sent": "전송",
    "log.envelope": "+envelope {n}개",
    "log.filtered": "필터됨: {topic}에 맞는 구독 없음",
    "log.dropped": "드롭됨 ({reason})",
    "log.link": "링크 {id} {state}",
    "log.blocked": "차단됨: HWM에 도달해 send가 대기 중",
    "log.unblocked": "차단 해제",
    "log.stopped": "실행 중지",
    "log.started": "실행 {run} 시작 ({transport}): 링크 {n}개 연결됨.",
    "log.exposed": "{socket} 소켓을 {endpoint}에 공개했습니다: 외부 프로그램이 connect할 수 있습니다.",
    "log.runStopped": "실행이 중지되었습니다.",
    "log.runStoppedWhy": "실행이 중지되었습니다 ({reason}).",
    "ev.sent": "전송",
    "ev.delivered": "전달",
    "ev.filtered": "필터",
    "ev.dropped": "드롭",
    "ev.error": "오류",
    "ev.state": "상태",
    "ev.node": "노드",
    "ev.link": "링크",
    "ev.blocked": "차단",
    "ev.unblocked": "차단 해제",
    "ev.stopped": "중지",

    "state.started": "시작됨",
    "state.waiting": "대기 중",
    "state.finished": "완료",
    "state.crashed": "비정상 종료",
    "state.killed": "강제 종료됨",
    "state.restarted": "재시작됨",
    "state.paused": "일시정지됨",
    "state.resumed": "재개됨",
    "state.delayed": "지연 중",
    "state.subscribed": "구독함",
    "state.unsubscribed": "구독 해제",
    "state.stopped": "중지됨",
    "state.connected": "연결됨",
    "state.cut": "끊김",
    "state.restored": "복구됨",

    "frames.title": "프레임",
    "frames.empty": "캔버스의 토큰이나 이벤트 로그의 한 줄을 클릭하면 그 메시지의 프레임이 보입니다.",
    "frames.gone": "메시지 {id}: 더 이상 보관되어 있지 않습니다 (최근 2000개만 보관).",
    "frames.message": "메시지 {id}",
    "frames.emptyFrame": "빈 프레임",
    "frames.kind.envelope": "envelope",
    "frames.kind.hex": "hex",
    "frames.kind.text": "텍스트",
    "frames.st.delivered": "전달됨",
    "frames.st.filtered": "필터됨",
    "frames.st.dropped": "드롭됨 ({reason})",
    "frames.st.sent": "전송됨",
    "frames.t.sent": "전송 {t}",
    "frames.t.received": "수신 {t}",
    "frames.t.filtered": "필터 {t}",
    "frames.t.dropped": "드롭 {t}",
    "frames.link": "링크",
    "frames.filteredNote": "{to}의 SUB에는 첫 프레임 {topic}에 맞는 구독이 없어서, 발행자가 이 링크로는 보내지 않았습니다.",
    "frames.asSent": "{from}에서 보낸 그대로",
    "frames.asReceived": "{to}에서 받은 그대로",
    "frames.nframes.one": "프레임 {n}개",
    "frames.nframes.other": "프레임 {n}개",
    "frames.nenvelope.one": "libzmq가 붙인 envelope 프레임 {n}개",
    "frames.nenvelope.other": "libzmq가 붙인 envelope 프레임 {n}개",
    "frames.recvReturned": "recv가 돌려준 값",
    "frames.alsoDelivered": "{list}에도 전달되었습니다.",
    "frames.filteredAt": "{list}에서 필터되었습니다.",
    "frames.cut": "256바이트보다 긴 프레임은 잘라서 보여 줍니다.",

    "problems.title": "문제",
    "problems.none": "✓ 없음",
    "problems.topology": "토폴로지",

    "share.replay": "재생",
    "share.replay.title": "녹화된 실행을 서버 없이 페이지에서 재생합니다",
    "share.export": "내보내기",
    "share.exportJson": "토폴로지 JSON",
    "share.exportSvg": "그림 (SVG)",
    "share.exportPng": "그림 (PNG)",
    "share.exportPython": "실행 가능한 Python (pyzmq)",
    "share.import": "JSON 가져오기…",
    "share.share": "공유",
    "share.share.title": "짧은 링크, 전체 링크, 임베드 코드, 배지",
    "share.nothing": "아직 공유할 것이 없습니다: 노드를 추가하거나 프리셋을 고르세요",
    "share.pythonSaved": "Python 스크립트를 저장했습니다: python으로 실행하세요 (pyzmq 필요). 노드마다 별도 프로세스로 돕니다",
    "share.importFailed": "{name} 가져오기 실패: {why}",
    "share.notTopology": "토폴로지가 아닙니다",
    "share.importedProblems": "{name} 가져오기 완료, 문제 {n}개: 문제 목록을 확인하세요",
    "share.imported": "{name} 가져오기 완료",
    "dlg.title": "이 토폴로지 공유",
    "dlg.close": "닫기 (Esc)",
    "dlg.short": "짧은 링크",
    "dlg.short.hint": "저장되며 바뀌지 않습니다. 편집하면 새 링크가 생깁니다",
    "dlg.includeRec": "녹화된 실행 포함",
    "dlg.recInfo": "(이벤트 {events}개, {seconds}초, libzmq {libzmq}): 읽는 사람이 서버 없이 재생합니다",
    "dlg.saving": "저장 중…",
    "dlg.copy": "복사",
    "dlg.copied": "복사됨",
    "dlg.full": "전체 링크",
    "dlg.full.hint": "주소에 토폴로지 전체가 담겨 저장소가 필요 없습니다",
    "dlg.embed": "임베드",
    "dlg.embed.hint": "문서 페이지용: 읽는 사람이 클릭하기 전에는 아무것도 실행되지 않습니다",
    "dlg.theme": "테마",
    "dlg.theme.light": "밝게",
    "dlg.theme.dark": "어둡게",
    "dlg.theme.auto": "자동",
    "dlg.speed": "속도",
    "dlg.language": "언어",
    "dlg.language.auto": "읽는 사람 기준",
    "dlg.editable": "편집 가능",
    "dlg.autoplay": "자동 실행",
    "dlg.paused": "일시정지 상태로 시작",
    "dlg.hideSpeed": "속도 숨기기",
    "dlg.badge": "Markdown 배지",
    "dlg.badge.hint": "클릭하면 실제로 돌아가는 토폴로지가 열리는 그림",
    "dlg.needsShort": "(짧은 링크가 필요합니다)",
    "dlg.defaultTitle": "ZeroMQ 토폴로지",
    "replay.tag": "● 녹화된 실행",
    "replay.tag.title": "녹화된 실행: 서버 없이 브라우저에서 재생됩니다",
    "replay.play": "재생 / 일시정지",
    "replay.step": "다음 메시지로 한 단계",
    "replay.scrub": "녹화 안의 위치",
    "replay.versions": "이 녹화를 만든 libzmq와 pyzmq 버전",
    "replay.cut": "이벤트 {n}개에서 잘림",
    "replay.close": "재생 닫기",

    "embed.run": "실행",
    "embed.open": "플레이그라운드에서 열기 ↗",
    "embed.openPlayground": "플레이그라운드 열기 ↗",
    "embed.speed.title": "속도: 낮을수록 느림",
    "embed.playRecorded": "녹화된 실행 재생",
    "embed.runLive": "실시간으로 실행",
    "embed.noteRecorded": "녹화된 실행을 브라우저에서 재생합니다 (libzmq {libzmq}, pyzmq {pyzmq}).",
    "embed.noteLive": "서버의 실제 ZeroMQ 소켓으로 돌아갑니다. 클릭하기 전에는 아무것도 시작하지 않습니다.",
    "embed.noTopology": "이 임베드에는 토폴로지가 없습니다: 링크가 불완전하거나 잘렸습니다.",
    "embed.refused": "서버가 거부했습니다: {why}",
    "embed.invalid": "잘못된 토폴로지",
    "nf.title": "찾을 수 없는 {what}입니다",
    "nf.body": "이 주소로 저장된 {what} 항목이 없습니다. 링크를 잘못 입력했거나 잘렸을 수 있습니다. 짧은 링크는 <code>/t/</code> 뒤에 영문자와 숫자 12개가 붙은 모양입니다.",
    "nf.open": "플레이그라운드 열기",
    "nf.what.topology": "토폴로지",
  },
};

let current = "en";
const listeners = new Set();

function lookup(lang, key, vars) {
  const d = DICT[lang];
  if (Object.prototype.hasOwnProperty.call(d, key)) return d[key];
  if (vars && typeof vars.n === "number") {
    const form = `${key}.${vars.n === 1 ? "one" : "other"}`;
    if (Object.prototype.hasOwnProperty.call(d, form)) return d[form];
  }
  return undefined;
}

const fill = (text, vars, enc = String) => (vars ? text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? enc(vars[k]) : m)) : text);

/** The current language's text for `key` (English when Korean lacks it; the key itself when both do). */
export function t(key, vars) {
  const text = lookup(current, key, vars) ?? lookup("en", key, vars);
  return text === undefined ? key : fill(text, vars);
}

/** Like t(), for a dictionary text holding markup: the vars are HTML-escaped, the text is not. */
export function tHtml(key, vars) {
  const text = lookup(current, key, vars) ?? lookup("en", key, vars);
  return text === undefined ? escHtml(key) : fill(text, vars, escHtml);
}

/** Whether the dictionary has `key` (in English, the reference language). */
export const has = (key) => Object.prototype.hasOwnProperty.call(DICT.en, key);

export const getLang = () => current;

/** A node or link state from the server ("killed") in the current language, else as it came. */
export const tState = (state) => (has(`state.${state}`) ? t(`state.${state}`) : String(state ?? ""));

/** The current language's entry of a server-side {en, ko} object (preset titles, explanations). */
export function pick(obj) {
  if (!obj || typeof obj !== "object") return obj ?? "";
  return obj[current] || obj.en || Object.values(obj)[0] || "";
}

/** ?lang= first, then (unless `storage` is false) localStorage, then the browser's language. */
export function initialLang({ storage = true } = {}) {
  try {
    const q = new URLSearchParams(location.search).get("lang");
    if (LANGS.includes(q)) return q;
  } catch {
    // no location (not a page)
  }
  if (storage) {
    try {
      const s = localStorage.getItem(STORAGE_KEY);
      if (LANGS.includes(s)) return s;
    } catch {
      // storage blocked (privacy settings, sandboxed frame)
    }
  }
  const nav = (typeof navigator !== "undefined" && (navigator.languages?.[0] || navigator.language)) || "";
  return /^ko\b/i.test(nav) ? "ko" : "en";
}

/**
 * Switch the page's language: <html lang>, every [data-i18n*] element, then the listeners.
 * `persist` remembers the choice in localStorage (the editor's switch; never embeds).
 */
export function setLang(lang, { persist = false } = {}) {
  if (!LANGS.includes(lang)) return;
  const changed = lang !== current;
  current = lang;
  if (persist) {
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  }
  if (typeof document !== "undefined") {
    document.documentElement.lang = lang;
    applyI18n(document);
  }
  if (!changed) return;
  for (const fn of [...listeners]) {
    try {
      fn(lang);
    } catch (err) {
      console.error("a language listener failed", err);
    }
  }
}

/** Call `fn(lang)` after every language switch; returns the unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

const ATTRS = [
  ["data-i18n-title", "title"],
  ["data-i18n-aria-label", "aria-label"],
  ["data-i18n-placeholder", "placeholder"],
];

function varsOf(el) {
  const raw = el.getAttribute("data-i18n-vars");
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw);
    // A var may name a dictionary key ("@nf.what.topology") to be translated itself.
    for (const [k, x] of Object.entries(v)) if (typeof x === "string" && x.startsWith("@")) v[k] = t(x.slice(1));
    return v;
  } catch {
    return undefined;
  }
}

/** Fill the [data-i18n*] elements under `root` (and root itself) in the current language. */
export function applyI18n(root = document) {
  const all = (sel) => {
    const list = [...root.querySelectorAll(sel)];
    if (root.matches?.(sel)) list.unshift(root);
    return list;
  };
  for (const el of all("[data-i18n]")) el.textContent = t(el.getAttribute("data-i18n"), varsOf(el));
  for (const el of all("[data-i18n-html]")) el.innerHTML = tHtml(el.getAttribute("data-i18n-html"), varsOf(el));
  for (const [data, attr] of ATTRS) for (const el of all(`[${data}]`)) el.setAttribute(attr, t(el.getAttribute(data), varsOf(el)));
}

/**
 * Make `host` the language switch: one button per language (data-lang="en" | "ko"), the
 * current one pressed. A click switches, remembers the choice and drops ?lang= from the address
 * (so a reload keeps what the user picked).
 */
export function mountLangSwitch(host) {
  host.classList.add("lang-switch", "seg", "seg-sm");
  host.setAttribute("role", "group");
  host.setAttribute("data-i18n-aria-label", "lang.switch");
  host.setAttribute("data-testid", "lang-switch");
  host.innerHTML = LANGS.map((l) => `<button type="button" data-lang="${l}" lang="${l}" data-testid="lang-${l}">${LANG_NAMES[l]}</button>`).join("");
  const paint = () => {
    for (const b of host.querySelectorAll("[data-lang]")) {
      const on = b.getAttribute("data-lang") === current;
      b.classList.toggle("on", on);
      b.setAttribute("aria-pressed", String(on));
    }
    host.setAttribute("aria-label", t("lang.switch"));
  };
  host.addEventListener("click", (e) => {
    const b = e.target.closest("[data-lang]");
    if (!b) return;
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.delete("lang");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
    }
    setLang(b.getAttribute("data-lang"), { persist: true });
  });
  onLangChange(paint);
  paint();
}

function escHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
