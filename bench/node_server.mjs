// Baseline (b): a bare Node.js socket.io 4 server broadcasting each event naively to one room.
// Usage: node bench/node_server.mjs <port> <deflate 0|1>; prints "ready" when listening.
import { createServer } from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const deflate = process.argv[3] === "1";
const http = createServer((req, res) => { res.writeHead(200); res.end("ok"); });
const io = new Server(http, {
  transports: ["websocket"],
  perMessageDeflate: deflate ? { threshold: 0 } : false,
  maxHttpBufferSize: 64 * 1024,
});
io.on("connection", (socket) => {
  socket.join("meeting");
  socket.on("join", (_payload, ack) => { if (typeof ack === "function") ack({ ok: true, seq: 0, snapshot: { seq: 0 } }); });
  socket.on("bench_emit", ({ type, payload }) => { io.to("meeting").emit(type, payload); });
});
http.listen(port, "127.0.0.1", () => console.log("ready"));
