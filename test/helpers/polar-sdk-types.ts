/**
 * Checks JSON values against the response types of Polar's official TypeScript SDK.
 *
 * `@polar-sh/sdk` 1.x returns `response.json()` as it is: its models are TypeScript types only, with no
 * schema checked at run time, so driving the emulator through it proves the routes, methods, query
 * forms and error classes but not the shape of an answer. This helper closes that gap with the
 * compiler: each recorded answer is written as an object literal annotated with the SDK's model
 * (`const v: models.Meter = {...}`) and type-checked, so a missing key, an extra key (excess property
 * check), a wrong type, a `null` the model does not allow or an unknown enum value is an error
 * that names the answer it came from.
 */
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
/** A file that does not exist, placed where module resolution finds the project's node_modules. */
const VIRTUAL = path.join(ROOT, "test", "helpers", "__polar_sdk_answers__.ts");

export interface Recorded {
  /** The SDK's model, as `models.<Name>` of the API version under test. */
  model: string;
  /** Where the value came from, named in any error (`meters.create`). */
  label: string;
  value: unknown;
}

export class SdkAnswers {
  readonly recorded: Recorded[] = [];

  constructor(private readonly version: "2026-04" | "2026-10" | "2027-01") {}

  /** Records `value` as an answer of type `models.<model>` and returns it unchanged. */
  keep<T>(model: string, label: string, value: T): T {
    this.recorded.push({ model, label, value: structuredClone(value) });
    return value;
  }

  /** Type-checks every recorded answer; returns one line per error (empty when all conform). */
  check(): string[] {
    const parts = [`import type { models } from "@polar-sh/sdk/${this.version}";`];
    /** First line (1-based) of each recorded answer in the file. */
    const starts: number[] = [];
    let line = 2;
    this.recorded.forEach((r, i) => {
      const text = `// ${r.label}\nexport const v${i}: models.${r.model} = ${JSON.stringify(r.value, null, 2)};`;
      starts.push(line);
      parts.push(text);
      line += text.split("\n").length;
    });
    const source = parts.join("\n");
    const options: ts.CompilerOptions = {
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2022,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === VIRTUAL ? ts.createSourceFile(name, source, lang) : getSourceFile(name, lang, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === VIRTUAL || fileExists(name);
    const readFile = host.readFile.bind(host);
    host.readFile = (name) => (name === VIRTUAL ? source : readFile(name));
    const program = ts.createProgram([VIRTUAL], options, host);
    const file = program.getSourceFile(VIRTUAL);
    if (!file) throw new Error("the answers file was not created");
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return diagnostics.map((d) => {
      const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line + 1;
      let index = -1;
      for (let i = 0; i < starts.length; i++) if ((starts[i] ?? Infinity) <= line) index = i;
      const where = index >= 0 ? this.recorded[index]?.label : "header";
      const text = ts.flattenDiagnosticMessageText(d.messageText, "\n    ");
      return `${where} (${index >= 0 ? this.recorded[index]?.model : "-"}): ${text}`;
    });
  }
}
