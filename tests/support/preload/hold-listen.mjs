/**
 * Preloaded into `node dist/src/main.js` by the shutdown test (`node --import`): the
 * first call to http.Server#listen writes "hold-listen: waiting" to stderr and
 * is held until the process receives SIGTERM (or 20 s pass), then goes on. So
 * SIGTERM arrives while the server is still starting, deterministically.
 *
 * The hold listens for SIGTERM only when the process already handles it: a
 * listener of its own would spare a process that has none from the signal's
 * default action, and hide the defect the test is there to catch.
 */
import http from "node:http";
const listen = http.Server.prototype.listen;
let held = false;
http.Server.prototype.listen = function (...args) {
  if (held) return listen.apply(this, args);
  held = true;
  let released = false;
  const go = () => {
    if (released) return;
    released = true;
    clearTimeout(timer);
    listen.apply(this, args);
  };
  const timer = setTimeout(go, 20_000);
  if (process.listenerCount("SIGTERM") > 0) process.once("SIGTERM", go);
  process.stderr.write("hold-listen: waiting\n");
  return this;
};
