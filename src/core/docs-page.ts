// /docs: the OpenAPI document rendered as one self-contained HTML page (no
// scripts, no external assets), so it works offline and cannot be turned
// into an injection vector: every string from the spec is escaped.
type Json = Record<string, unknown>;

const escape = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

function schemaText(schema: unknown, components: Json, depth = 0): string {
  if (!schema || typeof schema !== "object" || depth > 6) return "";
  const s = schema as Json;
  if (typeof s.$ref === "string") {
    const name = s.$ref.split("/").pop()!;
    return `<a href="#schema-${escape(name)}">${escape(name)}</a>`;
  }
  if (s.type === "array") return `array of ${schemaText(s.items, components, depth + 1)}`;
  if (s.type === "object" && s.properties) {
    const required = new Set((s.required as string[] | undefined) ?? []);
    const rows = Object.entries(s.properties as Json)
      .map(([k, v]) => `<li><code>${escape(k)}</code>${required.has(k) ? "" : "?"}: ${schemaText(v, components, depth + 1)}</li>`)
      .join("");
    return `object <ul>${rows}</ul>`;
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(s[key])) return (s[key] as unknown[]).map((x) => schemaText(x, components, depth + 1)).join(key === "allOf" ? " &amp; " : " | ");
  }
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type as string | undefined) ?? "any";
  const enumText = Array.isArray(s.enum) ? ` (${s.enum.map((v) => escape(JSON.stringify(v))).join(", ")})` : "";
  const range = [s.minimum !== undefined ? `&ge; ${escape(s.minimum)}` : "", s.maximum !== undefined ? `&le; ${escape(s.maximum)}` : ""].filter(Boolean).join(", ");
  return `<code>${escape(type)}</code>${enumText}${range ? ` [${range}]` : ""}${s.pattern ? ` pattern <code>${escape(s.pattern)}</code>` : ""}`;
}

export function renderDocsPage(spec: Json): string {
  const info = (spec.info ?? {}) as Json;
  const components = ((spec.components as Json | undefined)?.schemas ?? {}) as Json;
  const paths = (spec.paths ?? {}) as Record<string, Record<string, Json>>;
  const operations = Object.entries(paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path, method, op })),
  );
  const toc = operations
    .map(({ path, method }, i) => `<li><a href="#op-${i}"><span class="m ${method}">${method.toUpperCase()}</span> ${escape(path)}</a></li>`)
    .join("");
  const body = operations
    .map(({ path, method, op }, i) => {
      const params = ((op.parameters as Json[] | undefined) ?? [])
        .map((p) => `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ", required" : ""}): ${schemaText(p.schema, components)}</li>`)
        .join("");
      const reqBody = (op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
      const bodyText = reqBody
        ? Object.entries(reqBody).map(([type, c]) => `<p>Body (<code>${escape(type)}</code>): ${schemaText(c.schema, components)}</p>`).join("")
        : "";
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
        .map(([status, r]) => {
          const schema = ((r.content as Record<string, Json> | undefined)?.["application/json"] ?? {}).schema;
          return `<li><b>${escape(status)}</b> ${escape(r.description)}${schema ? `: ${schemaText(schema, components)}` : ""}</li>`;
        })
        .join("");
      return `<section id="op-${i}"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p>${escape(op.summary)}</p>${op.description ? `<p>${escape(op.description)}</p>` : ""}
${(op.security as unknown[] | undefined)?.length ? "<p><b>Needs an admin API key</b> (<code>Authorization: Bearer &lt;key&gt;</code>).</p>" : ""}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}${bodyText}<h4>Responses</h4><ul>${responses}</ul></section>`;
    })
    .join("\n");
  const schemas = Object.entries(components)
    .map(([name, s]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${schemaText(s, components)}</section>`)
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(info.title)}: API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{font:bold 12px monospace;padding:2px 6px;border-radius:3px;color:#fff;background:#555}.get{background:#2a7}.post{background:#27c}
.put{background:#c72}.delete{background:#c33}ul{margin:.25rem 0}a{color:#0645ad}</style></head><body>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors always have the body <code>{ "error": { "code", "message", "requestId" } }</code>.</p>
<h2>Routes</h2><ul>${toc}</ul><h2>Details</h2>${body}<h2>Schemas</h2>${schemas}</body></html>`;
}
