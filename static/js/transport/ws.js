// The run websocket (docs/protocol.md): JSON {op} commands out, batches in. Reconnects
// with a growing delay (0.5 s doubling to 10 s) and dispatches every server message on the
// bus as "server:<type>" (server:events, server:started, ...), plus transport:open/close.

export function createSocket(bus, url = defaultUrl()) {
  let ws = null;
  let delay = 500;
  let timer = 0;
  let closedByUs = false;
  const queue = [];

  function open() {
    clearTimeout(timer);
    ws = new WebSocket(url);
    ws.onopen = () => {
      delay = 500;
      bus.emit("transport:open", {});
      while (queue.length && ws.readyState === WebSocket.OPEN) ws.send(queue.shift());
    };
    ws.onmessage = (e) => {
      let msg;
      try {
        msg = JSON.parse(e.data);
      } catch {
        return;
      }
      if (msg && typeof msg.type === "string") bus.emit(`server:${msg.type}`, msg);
    };
    ws.onclose = () => {
      bus.emit("transport:close", { retryIn: delay });
      ws = null;
      if (closedByUs) return;
      timer = setTimeout(open, delay);
      delay = Math.min(10000, delay * 2);
    };
    ws.onerror = () => {}; // onclose follows and schedules the retry
  }

  return {
    open,
    get connected() {
      return Boolean(ws && ws.readyState === WebSocket.OPEN);
    },
    /** Send a command; while disconnected, only the latest `start` is kept for the reconnect. */
    send(cmd) {
      const text = JSON.stringify(cmd);
      if (ws && ws.readyState === WebSocket.OPEN) return ws.send(text);
      if (cmd.op === "start") {
        queue.length = 0;
        queue.push(text);
      }
    },
    close() {
      closedByUs = true;
      ws?.close();
    },
  };
}

function defaultUrl() {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}
