// Copy the pinned front-end libraries from node_modules into static/vendor, served by Puente.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vendor = join(root, "static", "vendor");
mkdirSync(vendor, { recursive: true });

const files = [
  ["socket.io-client/dist/socket.io.esm.min.js", "socket.io.esm.min.js"],
  ["socket.io-client/dist/socket.io.esm.min.js.map", "socket.io.esm.min.js.map"],
];
for (const [from, to] of files) {
  copyFileSync(join(root, "node_modules", from), join(vendor, to));
}
console.log(`vendored ${files.length} files into static/vendor`);
