/** Bad requests get the right status in each vendor's shape, and the server keeps serving. */
import * as net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { call } from "../fixtures/http";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());

async function stillHealthy() {
  const res = await call("GET", `${emu.url}/_emulator/health`);
  expect(res.status).toBe(200);
}

describe("bad requests", () => {
  it("malformed JSON: Polar 422 json_invalid, Fynn 400 Syntax error", async () => {
    const polar = await call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_acme",
      raw: '{"payment_processor":',
    });
    expect(polar.status).toBe(422);
    expect(polar.body.error).toBe("RequestValidationError");
    expect(polar.body.detail[0]).toMatchObject({
      type: "json_invalid",
      loc: ["body", 0],
      msg: "JSON decode error",
    });
    const fynn = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
      token: "api_demo_acme",
      raw: "{nope",
    });
    expect([fynn.status, fynn.body]).toEqual([400, { title: "An error occurred", detail: "Syntax error" }]);
    await stillHealthy();
  });

  it("wrong content type: 415", async () => {
    const res = await call("POST", `${emu.baseUrls.polar}/v1/products/`, {
      token: "polar_oat_demo_acme",
      raw: "name=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(415);
    expect(res.body.error).toBe("UnsupportedMediaType");
  });

  it("a body over 1 MiB: 413, whether declared by Content-Length or streamed", async () => {
    const big = JSON.stringify({ label: "x".repeat(1024 * 1024 + 10) });
    const declared = await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
      token: "api_demo_acme",
      raw: big,
    });
    expect(declared.status).toBe(413);
    expect(declared.body.title).toBe("Payload Too Large");
    // Chunked upload without Content-Length.
    const streamed = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(emu.port, "127.0.0.1");
      let answer = "";
      socket.on("data", (d) => {
        answer += d.toString();
      });
      socket.on("close", () => resolve(answer));
      socket.on("error", () => resolve(answer));
      socket.write(
        "POST /polar/v1/products/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      const chunk = "a".repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 20 && socket.writable) {
          sent += 1;
          if (!socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`))
            return socket.once("drain", pump);
        }
        if (socket.writable) socket.end("0\r\n\r\n");
      };
      pump();
      setTimeout(() => reject(new Error("no answer")), 10_000);
    });
    expect(streamed.split("\r\n")[0]).toBe("HTTP/1.1 413 Payload Too Large");
    await stillHealthy();
  });

  it("unknown routes: 404 in each dialect; wrong methods: 405 with Allow", async () => {
    const polar = await call("GET", `${emu.baseUrls.polar}/v1/nothing`);
    expect([polar.status, polar.body]).toEqual([404, { detail: "Not Found" }]);
    const fynn = await call("GET", `${emu.baseUrls.fynn}/nothing`);
    expect([fynn.status, fynn.body]).toEqual([
      404,
      { title: "Not Found", detail: 'No route found for "GET /fynn/nothing"' },
    ]);
    const root = await call("GET", `${emu.url}/elsewhere`);
    expect(root.status).toBe(404);
    const put = await call("PUT", `${emu.baseUrls.polar}/v1/checkout-links/`, {
      token: "polar_oat_demo_acme",
      body: {},
    });
    expect([put.status, put.body, put.headers["allow"]]).toEqual([
      405,
      { detail: "Method Not Allowed" },
      "GET, POST",
    ]);
  });

  it("non-HTTP garbage on the socket gets 400 and the server keeps serving", async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(emu.port, "127.0.0.1", () => socket.write("\u0000\u0001 NOT HTTP\r\n\r\n"));
      let data = "";
      socket.on("data", (d) => {
        data += d.toString();
      });
      socket.on("close", () => resolve(data));
    });
    expect(answer.startsWith("HTTP/1.1 400 Bad Request")).toBe(true);
    await stillHealthy();
  });

  it("bodies of the wrong JSON type are validation errors, not crashes", async () => {
    for (const raw of ["[]", '"text"', "null", "42"]) {
      const polar = await call("POST", `${emu.baseUrls.polar}/v1/checkout-links/`, {
        token: "polar_oat_demo_acme",
        raw,
      });
      expect([raw, polar.status]).toEqual([raw, 422]);
      const fynn = await call("POST", `${emu.baseUrls.coreapi}/api/plans`, { token: "api_demo_acme", raw });
      expect([raw, fynn.status]).toEqual([raw, 422]);
    }
    await stillHealthy();
  });
});
