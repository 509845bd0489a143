// A trivial dynamic resource for the engine smoke tests: it keeps its objects in a JSON file named
// by the SMOKE_STORE environment variable, so that tests can see creates, updates and deletes.
const pulumi = require("@pulumi/pulumi");

const provider = {
  async create(inputs) {
    const fs = require("node:fs");
    const crypto = require("node:crypto");
    const file = process.env.SMOKE_STORE;
    const store = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
    const id = crypto.randomUUID();
    store[id] = { text: inputs.text };
    fs.writeFileSync(file, JSON.stringify(store));
    return { id, outs: { text: inputs.text, length: inputs.text.length } };
  },
  async read(id) {
    const fs = require("node:fs");
    const store = JSON.parse(fs.readFileSync(process.env.SMOKE_STORE, "utf8"));
    const obj = store[id];
    if (!obj) return { id: "" };
    return { id, props: { text: obj.text, length: obj.text.length }, inputs: { text: obj.text } };
  },
  async diff(_id, olds, news) {
    return { changes: olds.text !== news.text };
  },
  async update(id, _olds, news) {
    const fs = require("node:fs");
    const file = process.env.SMOKE_STORE;
    const store = JSON.parse(fs.readFileSync(file, "utf8"));
    store[id] = { text: news.text };
    fs.writeFileSync(file, JSON.stringify(store));
    return { outs: { text: news.text, length: news.text.length } };
  },
  async delete(id) {
    const fs = require("node:fs");
    const file = process.env.SMOKE_STORE;
    const store = JSON.parse(fs.readFileSync(file, "utf8"));
    delete store[id];
    fs.writeFileSync(file, JSON.stringify(store));
  },
};

class Greeting extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(provider, name, { ...args, length: undefined }, opts, "smoke", "Greeting");
  }
}

module.exports = { Greeting };
