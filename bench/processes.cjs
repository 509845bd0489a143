/**
 * Killing a `pulumi up` the way a lost CI runner does: the command and every process below it, at
 * once, with SIGKILL. The engine starts the language host and the provider in process groups of
 * their own, so a group kill would miss them; this walks /proc for the whole tree first.
 */
const fs = require("node:fs");

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid) {
  const children = new Map();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** SIGKILLs `pid` and everything below it; returns how many processes were signalled. */
function killTree(pid) {
  let n = 0;
  for (const p of [pid, ...descendants(pid)]) {
    try {
      process.kill(p, "SIGKILL");
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

module.exports = { descendants, killTree };
