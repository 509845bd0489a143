import * as pulumi from "@pulumi/pulumi";

const { Greeting } = require("../../helpers/smoke-provider.cjs");

const config = new pulumi.Config();
const greeting = new Greeting("hello", { text: config.get("text") ?? "hello" });

export const text: pulumi.Output<string> = greeting.text;
export const length: pulumi.Output<number> = greeting.length;
